"""`riskgate worker`: the outbox worker as separate processes, beside or instead of the server.

Configuration comes from the RISKGATE_* environment (as for the server). The main CLI's
`riskgate worker [--processes N] [--once] [--metrics-port P]` runs it, wired by the composition
root (its jobs announce stage events like any other caller).

SIGTERM or SIGINT stops gracefully: deliveries under way finish and are recorded, claims not yet
started are released for other workers. A second signal forces the exit; the leases of anything
left over expire after worker_lease_seconds and the events are delivered again.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import start_http_server
from rich.console import Console

from riskgate.core.db import make_engine
from riskgate.core.i18n import N_, gettext, normalise_language
from riskgate.core.logging import configure_logging
from riskgate.core.settings import Settings, get_settings
from riskgate.outbox.worker import Totals, Worker

log = logging.getLogger("riskgate.outbox.cli")

STATUS = (
    N_("Outbox worker: {delivered} delivered, {failed} failed and will be retried, "
       "{dead} dead letters"),
    N_("{n} outbox worker processes: {delivered} delivered, {failed} failed and will be "
       "retried, {dead} dead letters"),
)
STOPPING = N_("Stopping: finishing the deliveries under way (press Ctrl+C again to force).")


def run_worker(processes: int = 1, once: bool = False, *, settings: Settings | None = None,
               metrics_port: int | None = None, setup: Callable[[], None] | None = None) -> int:
    """Run N worker processes until a signal (or, with `once`, until nothing is due).

    Returns the exit code. One process runs in this process; more are spawned, each with its
    own Worker and engine, and report their counts to this one for the status line. `setup`
    (the composition root's `wire`, a module-level function so that it pickles) runs first in
    each spawned process: their jobs announce stage events like any other caller.
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    status = _StatusLine(processes)
    if processes <= 1:
        return _run_here(settings, once, metrics_port, status)
    return _run_children(settings, processes, once, metrics_port, status, setup)


def _run_here(settings: Settings, once: bool, metrics_port: int | None,
              status: _StatusLine) -> int:
    engine = make_engine(settings.database_url)
    worker = Worker(engine, settings)
    if metrics_port:
        _serve_metrics(metrics_port, settings)

    def stop() -> None:
        status.say(STOPPING)
        worker.stop()

    _on_signals(stop, on_repeat=lambda: os._exit(130))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            worker.drain() if once else worker.run_forever()
        except BaseException as error:  # noqa: BLE001 — reported by the main thread
            failure.append(error)
            log.exception("outbox worker failed")

    thread = threading.Thread(target=run, name="outbox-worker")
    thread.start()
    # The main thread keeps the signal handlers responsive and the status line fresh.
    while thread.is_alive():
        status.update(worker.totals)
        thread.join(0.5)
    worker.close()
    engine.dispose()
    status.finish(worker.totals)
    return 1 if failure else 0


def _run_children(settings: Settings, processes: int, once: bool, metrics_port: int | None,
                  status: _StatusLine, setup: Callable[[], None] | None) -> int:
    # spawn, not fork: a forked child would inherit the parent's threads' locks and connections.
    context = multiprocessing.get_context("spawn")
    counters = context.Array("q", 3 * processes)
    children = [
        context.Process(
            target=_child_main, name=f"riskgate-worker-{index}",
            args=(settings, index, counters, once, metrics_port, os.getpid(), setup),
        )
        for index in range(processes)
    ]
    for child in children:
        child.start()

    def forward(sig: int) -> Callable[[], None]:
        def send() -> None:
            for child in children:
                if child.pid is not None and child.is_alive():
                    os.kill(child.pid, sig)
        return send

    def stop() -> None:
        status.say(STOPPING)
        forward(signal.SIGTERM)()

    _on_signals(stop, on_repeat=forward(signal.SIGKILL))
    while any(child.is_alive() for child in children):
        status.update(_sum(counters, processes))
        for child in children:
            child.join(0.5 / processes)
    status.finish(_sum(counters, processes))
    return 0 if all(child.exitcode == 0 for child in children) else 1


def _child_main(settings: Settings, index: int, counters: Any, once: bool,
                metrics_port: int | None, parent_pid: int,
                setup: Callable[[], None] | None = None) -> None:
    """One worker process: its own engine and Worker, publishing its totals after each batch."""
    if setup is not None:
        setup()
    configure_logging(settings.log_level, settings.log_json)
    engine = make_engine(settings.database_url)

    def publish(totals: Totals) -> None:
        with counters.get_lock():
            counters[3 * index: 3 * index + 3] = [totals.delivered, totals.failed, totals.dead]

    worker = Worker(engine, settings, on_batch=publish)
    # The parent forwards signals; repeated ones (Ctrl+C reaches the whole process group, then
    # the parent forwards SIGTERM) must not turn a graceful stop into a forced one.
    _on_signals(worker.stop, on_repeat=lambda: None)
    if metrics_port:
        _serve_metrics(metrics_port + index, settings)

    def watch_parent() -> None:
        # A killed parent cannot forward signals; stop rather than run on as an orphan.
        while not worker.stopping:
            if os.getppid() != parent_pid:
                worker.stop()
            time.sleep(1)

    threading.Thread(target=watch_parent, daemon=True, name="parent-watch").start()
    try:
        worker.drain() if once else worker.run_forever()
    finally:
        worker.close()
        engine.dispose()


def _on_signals(first: Callable[[], None], *, on_repeat: Callable[[], None]) -> None:
    received = 0

    def handler(_signum: int, _frame: Any) -> None:
        nonlocal received
        received += 1
        (first if received == 1 else on_repeat)()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _serve_metrics(port: int, settings: Settings) -> None:
    start_http_server(port, addr=settings.host)


def _sum(counters: Any, processes: int) -> Totals:
    with counters.get_lock():
        values = list(counters)
    return Totals(sum(values[0::3]), sum(values[1::3]), sum(values[2::3]))


class _StatusLine:
    """A live Rich status line on a terminal; a single summary line otherwise (logs, systemd)."""

    def __init__(self, processes: int) -> None:
        self.processes = max(processes, 1)
        self.console = Console(stderr=True)
        # A terminal speaks its locale's language; anything else (logs) gets English.
        self.language = normalise_language(
            os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
        ) or "en"
        self._status = None
        if self.console.is_terminal:
            self._status = self.console.status(self._text(Totals()))
            self._status.start()

    def _text(self, totals: Totals) -> str:
        # Two plain msgids rather than ngettext: Chinese has no plural forms to choose from.
        msgid = STATUS[0] if self.processes == 1 else STATUS[1]
        return gettext(msgid, self.language, n=self.processes, delivered=totals.delivered,
                       failed=totals.failed, dead=totals.dead)

    def update(self, totals: Totals) -> None:
        if self._status is not None:
            self._status.update(self._text(totals))

    def say(self, message: str) -> None:
        self.console.print(gettext(message, self.language), soft_wrap=True)

    def finish(self, totals: Totals) -> None:
        if self._status is not None:
            self._status.stop()
        self.console.print(self._text(totals), soft_wrap=True)
