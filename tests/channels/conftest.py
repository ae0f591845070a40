"""Fixtures for the channels tests: a feed server on loopback, an organisation with officers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import Organisation, User
from tests.factories import make_org, make_user

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Answer:
    """What the server answers on one path: a body with validators, or an error, or a hang."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0


@dataclass
class FeedServer:
    """A ThreadingHTTPServer on 127.0.0.1 that honours If-None-Match / If-Modified-Since."""

    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self
        self._release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | str, **options: object) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.answers[path] = Answer(data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def serve_file(self, path: str, name: str, **options: object) -> str:
        return self.serve(path, (FIXTURES / name).read_bytes(), **options)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append((request.path, headers))
        answer = self.answers.get(request.path, Answer(b"not found", 404, "text/plain"))
        if answer.delay:
            self._release.wait(answer.delay)
        fresh = (answer.etag and headers.get("if-none-match") == answer.etag) or (
            answer.last_modified and headers.get("if-modified-since") == answer.last_modified)
        try:
            if fresh and answer.status == 200:
                request.send_response(304)
                request.send_header("content-length", "0")
                request.end_headers()
                return
            request.send_response(answer.status)
            request.send_header("content-type", answer.content_type)
            request.send_header("content-length", str(len(answer.body)))
            if answer.etag:
                request.send_header("etag", answer.etag)
            if answer.last_modified:
                request.send_header("last-modified", answer.last_modified)
            request.end_headers()
            request.wfile.write(answer.body)
        except OSError:
            pass  # the client gave up (timeout test)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def http_date(seconds: float | None = None) -> str:
    return formatdate(seconds if seconds is not None else time.time(), usegmt=True)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@dataclass
class Unit:
    """A lead agency with one responsible unit below it, each with a risk officer."""

    lead: Organisation
    unit: Organisation
    lead_officer: User
    unit_officer: User
    lead_actor: Actor
    unit_actor: Actor


@pytest.fixture
def units(db: Session, settings) -> Unit:  # type: ignore[no-untyped-def]
    lead = make_org(db)
    unit = make_org(db, parent=lead)
    lead_officer = make_user(db, settings, lead, Role.RISK_OFFICER, language="en")
    unit_officer = make_user(db, settings, unit, Role.RISK_OFFICER, language="en",
                             email="officer@unit.example.cn")
    db.commit()
    return Unit(lead, unit, lead_officer, unit_officer, actor_for(lead_officer, "en"),
                actor_for(unit_officer, "en"))
