"""Every `riskgate` command, run as an operator runs it: a new process on a new database.

One database and the commands in the order an operator uses them: the schema, the demo data, an
administrator, a file from each feed, the audit chain, the search index, the jobs, the worker and
the server. Each process starts cold and must wire the whole loop itself: an import with the
demo data loaded once crashed (`NoReferencedTableError … 'response_case'`) because the CLI never
loaded every model. Every command must exit 0 and say what it did.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from riskgate import cli
from riskgate.demo import DEMO_PASSWORD
from riskgate.signals.service import WEEKLY_JOB
from tests.servers import SmtpServer, free_port

FEEDS = Path(__file__).parent / "fixtures" / "intake"
Riskgate = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def environment(cli_env, empty_database_url: str, smtp: SmtpServer,  # type: ignore[no-untyped-def]
                tmp_path: Path) -> dict[str, str]:
    return cli_env(empty_database_url, RISKGATE_SMTP_HOST="127.0.0.1",
                   RISKGATE_SMTP_PORT=str(smtp.port),
                   RISKGATE_ATTACHMENTS_DIR=str(tmp_path / "attachments"),
                   RISKGATE_ANALYSIS_REPORTS_DIR=str(tmp_path / "analysis_reports"))


@pytest.fixture
def riskgate(environment: dict[str, str], tmp_path: Path) -> Riskgate:
    """Run `riskgate ARGS…` in a new process (from an empty directory: no .env is read)."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "riskgate.cli", *args], env=environment,
                              cwd=tmp_path, capture_output=True, text=True, timeout=180)

    return run


def ok(done: subprocess.CompletedProcess[str]) -> str:
    """What the command printed (stdout, then stderr), once it has exited 0."""
    assert done.returncode == 0, (done.args, done.returncode, done.stdout, done.stderr)
    return done.stdout + done.stderr


def count(row: str, output: str) -> int:
    """The number on a summary table's row (`│ imported │ 63 │`)."""
    found = re.search(rf"│\s*{re.escape(row)}\s*│\s*(\d+)\s*│", output)
    assert found, (row, output)
    return int(found[1])


def test_every_command_on_a_fresh_database(riskgate: Riskgate, environment: dict[str, str],
                                           smtp: SmtpServer, tmp_path: Path) -> None:
    # The schema, the demo data (once: a second load refuses) and the administrators' duties.
    assert "Database at head." in ok(riskgate("db", "upgrade"))
    demo = ok(riskgate("load-demo"))
    assert count("users", demo) > 0 and DEMO_PASSWORD in demo
    assert "Demo data is already loaded." in ok(riskgate("load-demo"))
    created = riskgate("create-admin", "--username", "ops2", "--role", "audit_admin",
                       "--organisation-code", "GACC", "--password", "Another-Admin-2026!")
    assert "Created ops2 (audit_admin)." in ok(created)

    # A file from each feed, owned by the head office, with the demo data loaded.
    imported = 0
    for name, profile, rows, bad in (("cpsc_sample.json", "cpsc", 63, 0),
                                     ("rasff_sample.csv", "rasff", 200, 0),
                                     ("safety_gate_sample.csv", "safety_gate", 120, 0),
                                     ("riskgate_utf8.csv", "riskgate_csv", 2, 3)):
        table = ok(riskgate("import", str(FEEDS / name), "--profile", profile,
                            "--organisation", "GACC"))
        assert count("imported", table) == rows and count("quarantined", table) == bad, table
        imported += rows

    # The audit chain holds every step above; the search index has every record.
    verified = ok(riskgate("audit", "verify"))
    assert re.search(r"Audit chain intact: [1-9]\d* entries verified\.", verified), verified
    indexed = re.search(r"Indexed (\d+) risk records and (\d+) published warnings\.",
                        ok(riskgate("search", "reindex")))
    assert indexed and int(indexed[1]) >= imported, indexed

    # The jobs: listed, and the weekly detection run on demand over the imported records.
    jobs = ok(riskgate("jobs", "list"))
    assert "Scheduled jobs" in jobs and WEEKLY_JOB in jobs
    assert re.search(rf"{re.escape(WEEKLY_JOB)} done in [\d.]+s", ok(riskgate("jobs", "run",
                                                                           WEEKLY_JOB)))

    # The worker delivers what is due (the welcome mails of the demo users and the new admin).
    delivered = re.search(r"Outbox worker: (\d+) delivered, 0 failed",
                          ok(riskgate("worker", "--once")))
    assert delivered and int(delivered[1]) > 0 and smtp.messages, delivered

    # The server starts with its worker, serves the sign-in page, and stops on Ctrl+C (the
    # scheduled jobs stay off: the feed polls would go out to the internet).
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "riskgate.cli", "serve", "--port", str(port)],
        env={**environment, "RISKGATE_SCHEDULE_ENABLED": "false"}, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert page.status_code == 200 and 'name="password"' in page.text
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, (out, err)
    assert f"riskgate on http://127.0.0.1:{port}" in out + err


def test_help_and_a_refused_duty_need_no_database() -> None:
    # Neither reads the settings or the database: run in this process, they cost no start-up.
    runner = CliRunner()
    helped = runner.invoke(cli.app, ["--help"])
    assert helped.exit_code == 0
    assert all(command in helped.output for command in ("serve", "create-admin", "import"))
    refused = runner.invoke(cli.app, ["create-admin", "--username", "ops3", "--role",
                                      "risk_officer", "--organisation-code", "GACC",
                                      "--password", "Another-Admin-2026!"])
    assert refused.exit_code == 2 and "--role must be" in refused.output
