"""The `riskgate` command: serve, worker, db upgrade, create-admin, load-demo, import, audit."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select

from riskgate.audit import service as audit
from riskgate.audit.models import AuditEntry
from riskgate.audit.service import verify_chain
from riskgate.composition import wire
from riskgate.core.context import Actor
from riskgate.core.db import make_engine, make_session_factory, transaction
from riskgate.core.errors import DomainError
from riskgate.core.migrations import current_revision, head_revision, upgrade
from riskgate.core.permissions import ADMIN_DUTIES, Role
from riskgate.core.schedule import Scheduler, job_states
from riskgate.core.settings import get_settings
from riskgate.demo import DEMO_PASSWORD, demo_exists, load_demo_data
from riskgate.identity import service
from riskgate.identity.models import Organisation
from riskgate.intake.errors_text import translate_problem
from riskgate.intake.models import ImportBatch
from riskgate.intake.service import ingest_batch
from riskgate.intake.trial import DryRun
from riskgate.intake.trial import dry_run as dry_run_file
from riskgate.outbox.cli import run_worker
from riskgate.search.service import reindex_all
from riskgate.warnings.publication import search_index as warning_index

app = typer.Typer(
    help="riskgate — import/export product quality-safety risk early warning.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _wire() -> None:
    """Every command runs with the whole loop wired: every model loaded, every stage's
    subscribers installed (an import that stores records runs the same steps as the server)."""
    wire()

db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
jobs_app = typer.Typer(help="Scheduled jobs (run by the worker; here on demand).",
                       no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
search_app = typer.Typer(help="Search index commands.", no_args_is_help=True)
app.add_typer(search_app, name="search")
console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to bind (default RISKGATE_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default RISKGATE_PORT, 8000)."),
    workers: int = typer.Option(
        1,
        min=1,
        help="Web processes (the outbox worker then runs separately: use `riskgate worker`).",
    ),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
) -> None:
    """Run the web server (API, console, portal); the outbox worker runs inside it by default."""

    settings = get_settings()
    if workers > 1 and settings.worker_in_process:
        console.print(
            "[yellow]Several web processes: set RISKGATE_WORKER_IN_PROCESS=false and "
            "run `riskgate worker` beside them.[/yellow]"
        )
    _check_database_ready(settings.database_url)
    console.print(
        f"riskgate on http://{host or settings.host}:{port or settings.port} "
        f"({'SQLite' if settings.is_sqlite else 'PostgreSQL'})"
    )
    uvicorn.run(
        "riskgate.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        access_log=False,
        log_config=None,
    )


def _check_database_ready(url: str) -> None:

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
    finally:
        engine.dispose()
    if current != head_revision():
        console.print(
            f"[red]The database is at revision {current}; run `riskgate db upgrade`.[/red]"
        )
        raise typer.Exit(2)


@app.command()
def worker(
    processes: int = typer.Option(1, "--processes", "-p", min=1, max=64,
                                  help="Worker processes to start."),
    once: bool = typer.Option(False, help="Deliver what is due now, then exit."),
    metrics_port: int = typer.Option(None, help="Serve Prometheus metrics on this port."),
) -> None:
    """Deliver outbox events (e-mail, webhooks, inbox) in separate processes.

    Several workers, on one machine or many, may run against PostgreSQL at once.
    """

    raise typer.Exit(run_worker(processes=processes, once=once, metrics_port=metrics_port,
                                setup=wire))


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the database schema to the newest version."""

    settings = get_settings()
    upgrade(settings.database_url, revision)
    console.print(f"[green]Database at {revision}.[/green]")


@app.command("create-admin")
def create_admin(
    username: str = typer.Option(..., prompt=True, help="User name of the new account."),
    role: str = typer.Option("system_admin", help="system_admin, security_admin or audit_admin."),
    organisation_code: str = typer.Option(
        ..., prompt=True, help="Code of an existing organisation."
    ),
    display_name: str = typer.Option(None, help="Full name (default: the user name)."),
    email: str = typer.Option(None, help="E-mail address."),
    password: str = typer.Option(None, help="Password (prompted for when not given)."),
) -> None:
    """Create an administrator account (one of the three separate administrator duties)."""


    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen not in ADMIN_DUTIES:
        console.print("[red]--role must be system_admin, security_admin or audit_admin.[/red]")
        raise typer.Exit(2)
    if password is None:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat: "):
            console.print("[red]The passwords differ.[/red]")
            raise typer.Exit(2)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            organisation = session.execute(
                select(Organisation).where(Organisation.code == organisation_code)
            ).scalar_one_or_none()
            if organisation is None:
                console.print(f"[red]No organisation with code {organisation_code}.[/red]")
                raise typer.Exit(2)
            user = service.create_user(
                session,
                Actor.system("cli:create-admin"),
                settings,
                service.UserInput(
                    username=username,
                    display_name=display_name or username,
                    organisation_id=organisation.id,
                    password=password,
                    roles=[chosen],
                    email=email,
                ),
            )
            console.print(f"[green]Created {user.username} ({chosen.value}).[/green]")
    except DomainError as error:
        console.print(f"[red]{error}[/red]")
        for problem in error.fields:
            console.print(f"  {problem.loc}: {problem.message.format(**problem.params)}")
        raise typer.Exit(1) from error
    finally:
        engine.dispose()


@app.command("load-demo")
def load_demo(
    reset: bool = typer.Option(False, help="Refuse nothing: load even if demo data exists."),
) -> None:
    """Load demo organisations, users for every role and enterprises (marked as demo)."""

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            if demo_exists(session) and not reset:
                console.print("Demo data is already loaded.")
                return
            with _progress() as progress:
                summary = load_demo_data(session, settings, progress=progress)
    finally:
        engine.dispose()
    table = Table(title="Demo data")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in summary.items():
        table.add_row(key, str(value))
    Console().print(table)
    console.print(
        f"Demo users sign in with password [bold]{DEMO_PASSWORD}[/bold] "
        "(see README for the user names)."
    )


@app.command("import")
def import_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    profile: str = typer.Option(
        ..., help="rasff, safety_gate, cpsc, riskgate_csv, unit_template or a saved profile."
    ),
    organisation: str = typer.Option(
        None, help="Code of the owning organisation (default: the first top-level one)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only count what would be imported; store nothing."
    ),
) -> None:
    """Import a file (CSV, .xlsx, JSON, XML) as one batch; bad rows are quarantined, duplicates
    skipped."""


    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session, path.open("rb") as binary:
            stmt = select(Organisation).order_by(Organisation.id).limit(1)
            stmt = (
                stmt.where(Organisation.code == organisation)
                if organisation
                else stmt.where(Organisation.parent_id.is_(None))
            )
            owner = session.execute(stmt).scalar_one_or_none()
            if owner is None:
                console.print(f"[red]No organisation {organisation or '(none exists)'}.[/red]")
                raise typer.Exit(2)
            with _progress() as progress:
                task = progress.add_task(f"Importing {path.name}", total=path.stat().st_size)
                run = dry_run_file if dry_run else ingest_batch
                try:
                    batch = run(
                        session,
                        Actor.system("cli"),
                        profile_name=profile,
                        binary=binary,
                        file_name=path.name,
                        organisation_id=owner.id,
                        progress=lambda _rows: progress.update(task, completed=binary.tell()),
                    )
                except DomainError as error:
                    fields = "; ".join(f"{p.loc}: {p.translated('en')}" for p in error.fields)
                    console.print(f"[red]{error.translated('en')}[/red] {fields}")
                    raise typer.Exit(1) from error
                progress.update(task, completed=path.stat().st_size)
            summary = _import_summary(batch, owner.code)
    finally:
        engine.dispose()
    table = Table(title=f"Import of {path.name} ({profile})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in summary.items():
        table.add_row(key, str(value))
    Console().print(table)


def _import_summary(batch: DryRun | ImportBatch, owner: str) -> dict[str, Any]:
    """What the import table shows: the counts, and for a dry run the first rows' problems."""
    if isinstance(batch, ImportBatch):
        return {"batch": batch.id, "owner": owner, **batch.counts()}
    summary: dict[str, Any] = {
        "dry run (nothing stored)": "", "owner": owner, "rows_read": batch.rows_read,
        "would import": batch.imported, "duplicates": batch.duplicates,
        "quarantined": batch.quarantined}
    for item in batch.problems[:20]:
        problems = "; ".join(f"{p['field']}: {translate_problem(p, 'en')}"
                             for p in item["problems"])
        summary[f"line {item['line_number']}"] = problems
    return summary


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain and report edited, inserted or deleted entries."""


    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            total = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
            with _progress() as progress:
                task = progress.add_task("Verifying audit chain", total=total)
                report = verify_chain(session, progress=lambda n: progress.advance(task, n))
    finally:
        engine.dispose()
    if report.ok:
        console.print(f"[green]Audit chain intact: {report.checked} entries verified.[/green]")
        return
    console.print(
        f"[red]Audit chain BROKEN: {len(report.problems)} problem(s) in "
        f"{report.checked} entries.[/red]"
    )
    for problem in report.problems:
        console.print(f"  entry {problem.entry_id}: {problem.kind} — {problem.detail}")
    raise typer.Exit(1)


@search_app.command("reindex")
def search_reindex() -> None:
    """Rebuild the search indexes from every stored risk record and every published warning
    (after an upgrade or a restore)."""

    engine = make_engine(get_settings().database_url)
    try:
        with transaction(make_session_factory(engine)) as session, _progress() as progress:
            task = progress.add_task("Indexing risk records", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            count = reindex_all(session, advance)
            warnings = warning_index.reindex_all(session)
            actor = Actor.system("cli")
            audit.record(session, actor, "search.reindex", object_type="risk_record",
                         after={"records": count, "warnings": warnings})
    finally:
        engine.dispose()
    console.print(f"Indexed {count} risk records and {warnings} published warnings.")


@jobs_app.command("list")
def jobs_list() -> None:
    """Show every registered job: cadence, next due, last run, last error."""

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        scheduler = Scheduler(engine, settings, owner="cli")
        scheduler.ensure_rows()
        with make_session_factory(engine)() as session:
            states = {s.name: s for s in job_states(session)}
    finally:
        engine.dispose()
    table = Table(title="Scheduled jobs")
    for column in ("name", "cadence", "next due", "last finished", "runs", "failures",
                   "last error / summary"):
        table.add_column(column)
    for name, job in sorted((scheduler.jobs or {}).items()):
        state = states.get(name)
        table.add_row(
            name, job.cadence.describe(),
            f"{state.next_due:%Y-%m-%d %H:%M:%S}" if state else "",
            f"{state.last_finished:%Y-%m-%d %H:%M:%S}" if state and state.last_finished else "",
            str(state.runs if state else 0), str(state.consecutive_failures if state else 0),
            (state.last_error or str(state.last_summary or "")) if state else "",
        )
    Console().print(table)


@jobs_app.command("run")
def jobs_run(
    name: str = typer.Argument(..., help="The job's name (see `riskgate jobs list`)."),
) -> None:
    """Run one job now, unless a worker is running it at this moment."""

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        scheduler = Scheduler(engine, settings, owner="cli")
        if name not in (scheduler.jobs or {}):
            console.print(f"[red]No job {name}; see `riskgate jobs list`.[/red]")
            raise typer.Exit(2)
        outcome = scheduler.run_job(name)
    finally:
        engine.dispose()
    if not outcome.ran:
        console.print(f"[yellow]{name} is running in a worker right now; not started.[/yellow]")
        raise typer.Exit(3)
    if not outcome.ok:
        console.print(f"[red]{name} failed: {outcome.error}[/red]")
        raise typer.Exit(1)
    console.print(f"[green]{name} done in {outcome.seconds:.2f}s: {outcome.summary}[/green]")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
