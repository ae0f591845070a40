"""Latency of the single-declaration screening API under wrk, with 10,000 active control rules.

    .venv/bin/python bench/bench_screening_api.py [--database sqlite|postgresql|both]
        [--seconds 30] [--rate 200] [--connections 20] [--rules 10000] [--web-workers 1]

For each database: a fresh migrated database with the demo data (users, ports, enterprises),
10,000 active control rules inserted in bulk (HS prefixes, countries, enterprise codes, keywords,
barcodes — a realistic mix so that some lines match), the Yangshan port officer's API token;
then `riskgate serve` (worker off) and wrk driving `POST /api/v1/border/declarations` with a Lua
script that makes every request a new declaration (unique number, 1–3 lines of varied goods).

The machine's wrk is plain wrk (no `-R` as in wrk2), so the rate is paced in the script: each of
the N connections waits `delay()` milliseconds after each response, N × 1000 / (delay + latency)
≈ the target rate. The measured rate is reported beside the latency percentiles (wrk measures
from the send of each request, so pacing adds no coordinated-omission bias within a connection
but a stalled server does slow the offered rate: look at the measured rate). A second run without
delay shows the throughput ceiling. Target (issue 6): p99 ≤ 20 ms at 200 requests/s.
Writes bench/out/screening_api.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from bench_http import api_token, free_port, session_cookie, start_server
from databases import create_database, drop_database

from riskgate.composition import wire

wire()  # every model and stage follower, as in the server

ROOT = Path(__file__).resolve().parents[1]
GOODS = [("9503008900", "塑料玩具车", "VN"), ("8516500000", "微波炉", "JP"),
         ("0202300090", "冻去骨牛肉", "BR"), ("6403990000", "皮鞋", "VN"),
         ("0402210000", "婴幼儿配方乳粉", "DE"), ("6111200000", "婴儿连体衣", "CN"),
         ("8708299000", "汽车车身零件", "US"), ("0904120000", "黑胡椒粉", "IN")]
PORTS = ["shanghai_yangshan", "shanghai_pudong_airport", "shanghai_waigaoqiao"]


def seed(url: str, rules: int) -> None:
    """Demo data, then `rules` active rules in one bulk insert."""
    from sqlalchemy import select

    from riskgate.border.models import ControlRule
    from riskgate.core.db import bulk_insert, make_engine, make_session_factory, transaction, utcnow
    from riskgate.core.settings import Settings
    from riskgate.demo import load_demo_data
    from riskgate.identity.models import Organisation

    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        load_demo_data(session, settings)
    rng = random.Random(6)
    countries = ["VN", "IN", "BR", "US", "DE", "JP", "TH", "ID", "MY", "KR", "TR", "PK"]
    words = ["玩具", "牛肉", "乳粉", "电池", "充电器", "口红", "奶瓶", "安全座椅", "电热毯",
             "童车", "面膜", "茶叶", "虾", "榴莲", "保温杯", "电吹风"]
    now = utcnow()
    with transaction(factory) as session:
        org_id = session.execute(select(Organisation.id).where(
            Organisation.code == "CUS2200")).scalar_one()
        rows = []
        for n in range(rules):
            kind = n % 5
            rows.append({
                "number": f"BK-BENCH-{n:06d}", "organisation_id": org_id, "warning_id": None,
                "origin": "manual", "title": f"基准布控 {n}", "direction": None,
                "hs_prefixes": [f"{rng.randint(1, 97):02d}{rng.randint(0, 99):02d}"]
                if kind in (0, 1, 2) else [],
                "countries": [rng.choice(countries)] if kind in (0, 3) else [],
                "enterprise_codes": [f"91{rng.randint(10**15, 10**16 - 1)}"] if kind == 4
                else [],
                "keywords": [rng.choice(words)] if kind in (1, 3) else [],
                "barcodes": [f"69{rng.randint(10**10, 10**11 - 1)}"] if kind == 2 else [],
                "ports": [], "action": rng.choice(["documentary_check", "physical_inspection",
                                                   "sampling"]),
                "sampling_rate": rng.choice([1.0, 0.5, 0.2, 0.05]), "priority": rng.randint(0, 100),
                "valid_from": now - dt.timedelta(days=1), "valid_until": None, "status": "active",
                "version": 1, "retired_at": None, "retired_reason": None, "created_by": "bench",
                "updated_by": "bench", "created_at": now, "updated_at": now,
            })  # fmt: skip
        bulk_insert(session, ControlRule.__table__, rows)
    engine.dispose()


LUA = r"""
-- Each request a new declaration: unique number (run prefix, thread, counter), 1-3 lines.
local run = "%(run)s"
local goods = %(goods)s
local ports = %(ports)s
local pause = %(delay)d
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Content-Type"] = "application/json"
  id = id or 0  -- set per thread by setup()
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local number = string.format("%%s%%02d%%09d", run, id, counter)
  local lines = {}
  for n = 1, (counter %% 3) + 1 do
    local g = goods[((counter * 7 + n * 3) %% #goods) + 1]
    table.insert(lines, string.format(
      '{"line_no":%%d,"hs_code":"%%s","description":"%%s","quantity":"%%d","value":"%%d",' ..
      '"currency":"USD","origin_country":"%%s"}', n, g[1], g[2], 10 + counter %% 90,
      100 + counter %% 900, g[3]))
  end
  local body = string.format(
    '{"number":"%%s","direction":"import","port_code":"%%s","trader_name":"基准贸易有限公司",' ..
    '"trader_code":"91310115MA1K3YJ1%%02d","declared_on":"%(today)s","lines":[%%s]}',
    number, ports[(counter %% #ports) + 1], counter %% 100, table.concat(lines, ","))
  return wrk.format("POST", nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"p999_us":%%d,' ..
    '"max_us":%%d,"errors":%%d,"non2xx":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max, errors,
    summary.errors.status))
end
"""


def lua_script(path: Path, run: str, delay_ms: int) -> None:
    def table(values: list) -> str:
        return "{" + ", ".join(
            "{" + ", ".join(f'"{v}"' for v in item) + "}" if isinstance(item, tuple)
            else f'"{item}"' for item in values) + "}"

    path.write_text(LUA % {"run": run, "goods": table(GOODS), "ports": table(PORTS),
                           "delay": delay_ms, "today": dt.date.today().isoformat()})


def run_wrk(url: str, token: str, script: Path, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "--latency", "-H", f"Authorization: Bearer {token}", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = [x for x in output.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def bench_database(kind: str, args: argparse.Namespace) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix="rgbench"))
    url = create_database(kind, workdir, f"rgbench_screening_{os.getpid()}")
    server = None
    results = []
    try:
        print(f"[{kind}] seeding demo data and {args.rules} rules …", flush=True)
        seed(url, args.rules)
        port = free_port()
        server = start_server(url, port, args.web_workers)
        base = f"http://127.0.0.1:{port}"
        token = api_token(base, session_cookie(base, "port"))
        endpoint = f"{base}/api/v1/border/declarations"
        # Warm up: the first request loads and compiles the rules.
        started = time.perf_counter()
        probe = httpx.post(endpoint, headers={"Authorization": f"Bearer {token}"}, json={
            "number": f"W{int(time.time())}", "direction": "import",
            "port_code": "shanghai_yangshan", "trader_name": "预热", "trader_code": "X1",
            "declared_on": dt.date.today().isoformat(), "lines": [{
                "line_no": 1, "hs_code": "9503008900", "description": "玩具",
                "quantity": "1"}]}, timeout=60)
        assert probe.status_code == 201, probe.text[:300]
        print(f"[{kind}] first request (compiles {args.rules} rules): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        # Every worker process compiles its own index: warm them all before measuring.
        warm = workdir / "warm.lua"
        lua_script(warm, f"W{int(time.time()) % 100000:05d}", 0)
        run_wrk(endpoint, token, warm, 5, 4 * args.web_workers)
        for label, connections, delay in (
                (f"paced ~{args.rate} rps", args.connections,
                 max(1, int(args.connections * 1000 / args.rate) - 3)),
                ("unpaced (ceiling)", 8, 0)):
            script = workdir / f"decl_{delay}.lua"
            lua_script(script, f"B{int(time.time()) % 100000:05d}{len(results)}", delay)
            result = run_wrk(endpoint, token, script, args.seconds, connections)
            result.update(database=kind, label=label, connections=connections, delay_ms=delay,
                          rate=result["requests"] / (result["duration_us"] / 1e6))
            results.append(result)
            print(f"[{kind}] {label}: {result['rate']:.0f} req/s, p50 "
                  f"{result['p50_us'] / 1000:.1f} ms, p90 {result['p90_us'] / 1000:.1f} ms, "
                  f"p99 {result['p99_us'] / 1000:.1f} ms, max {result['max_us'] / 1000:.0f} ms, "
                  f"errors {result['errors']}", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
            if any(r["errors"] for r in results) and server.stderr is not None:
                log = server.stderr.read().decode(errors="replace").splitlines()
                print("\n".join([x for x in log if "rror" in x or "status=5" in x][-20:]))
        drop_database(url)
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--web-workers", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed")
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = [row for kind in kinds for row in bench_database(kind, args)]
    out = ROOT / "bench/out"
    out.mkdir(exist_ok=True)
    lines = [f"Screening API, {args.rules} active rules, {args.seconds} s per run, "
             f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC", "",
             "| database | run | connections | delay ms | req/s | p50 ms | p90 ms | p99 ms | "
             "p99.9 ms | max ms | errors |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['database']} | {r['label']} | {r['connections']} | {r['delay_ms']} | "
                     f"{r['rate']:.0f} | {r['p50_us'] / 1000:.1f} | {r['p90_us'] / 1000:.1f} | "
                     f"{r['p99_us'] / 1000:.1f} | {r['p999_us'] / 1000:.1f} | "
                     f"{r['max_us'] / 1000:.0f} | {r['errors']} |")
    (out / "screening_api.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
