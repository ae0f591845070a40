"""Latency of console list pages and the API under wrk at 50 concurrent connections.

    .venv/bin/python bench/bench_http.py [--database sqlite|postgresql|both] [--seconds 20]
        [--connections 50] [--organisations 2000] [--users 5000]

For each database it creates a fresh database, migrates it, loads the demo data plus extra
organisations and users (so lists have realistic sizes), starts `riskgate serve` (one process,
worker off), signs in a system administrator and a security administrator, and runs wrk against
each URL. Prints p50/p95/p99 per URL and writes a Markdown table to bench/out/http.md.
Target (issue 2): p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from databases import create_database, drop_database

from riskgate.composition import wire

wire()  # every model and stage follower, as in the server

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(url: str, organisations: int, users: int) -> None:
    """Demo data plus bulk organisations and users, through the real services."""
    from riskgate.core.context import Actor
    from riskgate.core.db import make_engine, make_session_factory, transaction
    from riskgate.core.permissions import Role
    from riskgate.core.settings import Settings
    from riskgate.demo import load_demo_data
    from riskgate.identity import service
    from riskgate.identity.enums import OrgLevel, OrgType
    from riskgate.identity.models import Organisation
    from riskgate.identity.passwords import hash_password

    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor.system("bench")
    with transaction(factory) as session:
        load_demo_data(session, settings)
    with transaction(factory) as session:
        parent = session.query(Organisation).filter_by(code="CUS2200").one()
        parents = [parent.id]
        for i in range(organisations):
            org = service.create_organisation(
                session,
                actor,
                service.OrganisationInput(
                    code=f"BENCH{i:05d}",
                    name_zh=f"基准测试机构{i}",
                    name_en=f"Bench organisation {i}",
                    org_type=OrgType.SUBORDINATE_CUSTOMS,
                    level=OrgLevel.CITY,
                    parent_id=parents[i % len(parents)],
                ),
            )
            if i < 50:
                parents.append(org.id)
    # Users in bulk: one shared hash, since hashing 5,000 argon2 passwords measures nothing here.
    import riskgate.identity.service as identity_service

    shared_hash = hash_password("Bench-Password-2026!", settings)
    original = identity_service.hash_password
    identity_service.hash_password = lambda _p, _s: shared_hash  # type: ignore[assignment]
    try:
        with transaction(factory) as session:
            org_ids = [
                o.id
                for o in session.query(Organisation)
                .filter(Organisation.code.like("BENCH%"))
                .limit(500)
            ]
            for i in range(users):
                service.create_user(
                    session,
                    actor,
                    settings,
                    service.UserInput(
                        username=f"bench{i:05d}",
                        display_name=f"基准用户{i}",
                        organisation_id=org_ids[i % len(org_ids)],
                        password="Bench-Password-2026!",
                        roles=[Role.RISK_OFFICER],
                    ),
                )
    finally:
        identity_service.hash_password = original
    engine.dispose()


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "RISKGATE_DATABASE_URL": url,
        "RISKGATE_WORKER_IN_PROCESS": "false",
        "RISKGATE_LOG_LEVEL": "WARNING",
        "RISKGATE_PORT": str(port),
    }
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/riskgate"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(process.stderr.read().decode() if process.stderr else "server did not start")


def session_cookie(base: str, username: str) -> str:
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        response = client.post(
            "/login", data={"username": username, "password": "Riskgate@2026", "next": "/console"}
        )
        assert response.status_code == 303, response.text[:300]
        return f"rg_session={client.cookies['rg_session']}"


def api_token(base: str, cookie: str) -> str:
    with httpx.Client(base_url=base) as client:
        page = client.get("/console", headers={"Cookie": cookie}).text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/api/v1/tokens",
            json={"name": "bench"},
            headers={"Cookie": cookie, "X-CSRF-Token": csrf},
        )
        return response.json()["token"]


def run_wrk(url: str, header: str | None, seconds: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench/wrk_report.lua"),
        url,
    ]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = [x for x in output.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def bench_database(kind: str, args: argparse.Namespace) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix="rgbench"))
    url = create_database(kind, workdir, f"rgbench_http_{os.getpid()}")
    rows = []
    server = None
    try:
        print(
            f"[{kind}] seeding {args.organisations} organisations, {args.users} users …", flush=True
        )
        seed(url, args.organisations, args.users)
        port = free_port()
        server = start_server(url, port, args.web_workers)
        base = f"http://127.0.0.1:{port}"
        admin_cookie = session_cookie(base, "sysadmin")
        security_cookie = session_cookie(base, "secadmin")
        audit_cookie = session_cookie(base, "auditadmin")
        token = api_token(base, security_cookie)
        targets = [
            (
                "API organisations (50)",
                "/api/v1/organisations?limit=50",
                f"Authorization: Bearer {token}",
            ),
            ("API users (50)", "/api/v1/users?limit=50", f"Authorization: Bearer {token}"),
            ("API catalogue HS search", "/api/v1/catalog/hs?q=toys", None),
            ("console organisations", "/console/organisations", f"Cookie: {admin_cookie}"),
            ("console users", "/console/users", f"Cookie: {security_cookie}"),
            ("console audit", "/console/audit", f"Cookie: {audit_cookie}"),
            ("portal home", "/", None),
        ]
        for label, path, header in targets:
            status = httpx.get(base + path, headers=dict([header.split(": ", 1)]) if header else {})
            if status.status_code != 200:
                print(f"  skip {path}: {status.status_code}")
                continue
            result = run_wrk(base + path, header, args.seconds, args.connections)
            result.update(
                database=kind,
                label=label,
                path=path,
                rps=result["requests"] / (result["duration_us"] / 1e6),
            )
            rows.append(result)
            print(
                f"  {label:28s} p50 {result['p50_us'] / 1000:7.1f} ms  p95 "
                f"{result['p95_us'] / 1000:7.1f} ms  p99 {result['p99_us'] / 1000:7.1f} ms  "
                f"{result['rps']:7.0f} req/s  errors {result['errors']}",
                flush=True,
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        drop_database(url)
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument(
        "--web-workers", type=int, default=2, help="uvicorn processes (2 on this 2-core machine)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = [row for kind in kinds for row in bench_database(kind, args)]
    out = ROOT / "bench/out"
    out.mkdir(exist_ok=True)
    lines = [
        f"Measured {dt.date.today()} on {os.cpu_count()} cores; command: "
        f"`{' '.join(['.venv/bin/python', *sys.argv])}`",
        "",
        "| database | target | p50 ms | p95 ms | p99 ms | req/s | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['database']} | {r['label']} | {r['p50_us'] / 1000:.1f} | "
            f"{r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['rps']:.0f} | "
            f"{r['errors']} |"
        )
    (out / "http.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
