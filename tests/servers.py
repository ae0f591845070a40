"""Real servers on loopback for delivery tests: an SMTP server and a webhook receiver.

The webhook receiver behaves like a careful integrator: it verifies signatures, applies each
delivery's effect once per webhook-id (dropping duplicates), and records deliveries of one id
that overlap in time, which would mean two workers delivered the same event at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from riskgate.outbox.channels import verify_webhook_signature


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SMTP ----------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


class SmtpServer:
    """aiosmtpd on a free loopback port, recording every message it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[ReceivedMail] = []
        self.reply: str = "250 OK"  # e.g. "550 No such user" to refuse
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        if not self.reply.startswith("250"):
            return self.reply
        raw = envelope.original_content or envelope.content
        mail = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), raw,
                            message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        with self._lock:
            self.messages.append(mail)
        return "250 OK"

    def by_message_id(self) -> Counter[str]:
        with self._lock:
            return Counter(m.message["Message-ID"] for m in self.messages)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


# --- Webhooks ------------------------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    delay: float = 0.0  # seconds before answering; longer than the client timeout = a hang


@dataclass
class Delivery:
    webhook_id: str
    path: str
    body: bytes
    headers: dict[str, str]
    signature_ok: bool | None
    status: int
    started: float
    finished: float = 0.0
    # False when the sender died mid-request (the body is shorter than announced).
    complete: bool = True


@dataclass
class WebhookReceiver:
    """A ThreadingHTTPServer on loopback; `secret` set = verify signatures (bad ones get 401)."""

    secret: str | None = None
    routes: dict[str, Route] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    effects: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    overlaps: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do
            # Headers and body go out in separate writes; with Nagle on, each answer on a
            # kept-alive connection would wait ~40 ms for the client's delayed ACK.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802
                receiver._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                        daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def behave(self, path: str, *, status: int = 200, delay: float = 0.0) -> str:
        self.routes[path] = Route(status, delay)
        return self.url(path)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("content-length") or 0)
        body = request.rfile.read(length)
        headers = {k.lower(): v for k, v in request.headers.items()}
        webhook_id = headers.get("webhook-id", "")
        route = self.routes.get(request.path.split("?")[0], Route())
        started = time.monotonic()
        with self._lock:
            self._in_flight[webhook_id] += 1
            if self._in_flight[webhook_id] > 1:
                self.overlaps.append(webhook_id)
        try:
            if route.delay:
                self._release.wait(route.delay)
            signature_ok = (None if self.secret is None
                            else verify_webhook_signature(self.secret, headers, body))
            status = 401 if signature_ok is False else route.status
            with self._lock:
                if 200 <= status < 300:
                    # The effect happens once per id; a re-delivery is acknowledged and dropped.
                    if self.effects[webhook_id]:
                        self.duplicates += 1
                    else:
                        self.effects[webhook_id] = 1
                self.deliveries.append(Delivery(webhook_id, request.path, body, headers,
                                                signature_ok, status, started, time.monotonic(),
                                                complete=len(body) == length))
        finally:
            with self._lock:
                self._in_flight[webhook_id] -= 1
        reply = b"ok" if 200 <= status < 300 else f"failure {status} ".encode() + b"x" * 300
        try:
            request.send_response(status)
            request.send_header("content-type", "text/plain")
            request.send_header("content-length", str(len(reply)))
            request.end_headers()
            request.wfile.write(reply)
        except OSError:
            pass  # the sender went away (timed out, or was killed)

    def in_flight(self) -> int:
        with self._lock:
            return sum(self._in_flight.values())

    def received_ids(self) -> Counter[str]:
        with self._lock:
            return Counter(d.webhook_id for d in self.deliveries)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()  # wake handlers that hang
        self.server.shutdown()
        self.server.server_close()


def serve_webhooks_in_process(pipe) -> None:  # type: ignore[no-untyped-def]
    """Run a receiver in its own process (benchmarks), driven through a multiprocessing pipe.

    Sends its port first; then answers ("secret", s) by verifying with s, ("totals",) with
    (effects, duplicates, bad signatures, overlaps), and ("stop",) or a closed pipe by exiting.
    """
    with WebhookReceiver() as receiver:
        pipe.send(receiver.port)
        while True:
            try:
                command = pipe.recv()
            except EOFError:
                return
            if command[0] == "secret":
                receiver.secret = command[1]
            elif command[0] == "totals":
                with receiver._lock:
                    bad = sum(1 for d in receiver.deliveries if d.signature_ok is False)
                    pipe.send((len(receiver.effects), receiver.duplicates, bad,
                               len(receiver.overlaps)))
            else:
                return
