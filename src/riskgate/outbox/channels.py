"""Delivery channels of the outbox: the in-app inbox, e-mail (SMTP) and signed webhooks.

Each function delivers one claimed event and returns an `Outcome`; none touches the database, so
the worker can run them concurrently on a thread pool. The inbox's only effect is a database row,
which the worker inserts in the same transaction that marks the event delivered.

Every delivery carries the event uid (Message-ID, webhook-id, inbox event_uid) so that receivers
can drop the duplicates that at-least-once delivery produces.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import html
import json
import re
import smtplib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import httpx

from riskgate import __version__
from riskgate.core.db import utcnow
from riskgate.core.i18n import N_, gettext, normalise_language
from riskgate.core.settings import Settings
from riskgate.outbox.enums import Channel

ERROR_BODY_BYTES = 200
USER_AGENT = f"riskgate-webhooks/{__version__}"


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    """What a worker holds of an event it claimed: enough to deliver it without the database."""

    id: int
    uid: str
    topic: str
    channel: Channel
    target: str
    payload: dict[str, Any]
    attempts: int
    created_at: dt.datetime
    organisation_id: int | None
    locked_until: dt.datetime


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A webhook endpoint as read when the batch was claimed."""

    id: int
    url: str
    secret: str
    active: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one delivery attempt.

    `permanent` failures go straight to the dead letters (retrying cannot help); an outcome that
    was not `attempted` (the worker is stopping, or the lease is too short) releases the claim.
    """

    ok: bool
    error: str | None = None
    permanent: bool = False
    attempted: bool = True
    inbox: dict[str, Any] | None = None
    started_at: dt.datetime = field(default_factory=utcnow)
    finished_at: dt.datetime = field(default_factory=utcnow)

    @classmethod
    def not_attempted(cls) -> Outcome:
        return cls(ok=False, attempted=False)


class PermanentFailure(Exception):
    """A delivery that no retry can make succeed (deleted target, rejected address…)."""


# --- Rendering -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    language: str
    subject: str
    body: str
    link: str | None


# An ISO 8601 time with its offset, as producers put `datetime.isoformat()` into params.
_ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})")


def local_times(params: dict[str, Any], timezone: str) -> dict[str, Any]:
    """The params with every ISO time in their text shown as the pages show it: local time of
    the platform's zone, "2026-12-08 09:30" (producers store UTC ISO strings)."""
    zone = ZoneInfo(timezone)

    def local(match: re.Match[str]) -> str:
        try:
            moment = dt.datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:  # looks like a time but is none (month 13…): left as written
            return match.group(0)
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return {key: _ISO_TIME.sub(local, value) if isinstance(value, str) else value
            for key, value in params.items()}


def render_message(payload: dict[str, Any], default_language: str,
                   timezone: str = "Asia/Shanghai") -> RenderedMessage:
    """Translate a notification's subject and body msgids into the recipient's language, times
    in the platform's time zone."""
    language = normalise_language(payload.get("language")) or default_language
    params = local_times(payload.get("params") or {}, timezone)
    try:
        # The msgids were marked with N_() where the event was queued; no literal here, or the
        # catalog extractor would take the payload keys for messages.
        subject_id, body_id = payload["subject"], payload["body"]
        subject = gettext(subject_id, language, **params)
        body = gettext(body_id, language, **params)
    except (KeyError, IndexError, ValueError) as error:
        # A placeholder without a value, or a malformed payload: the same on every retry.
        raise PermanentFailure(
            f"cannot render the message: {type(error).__name__}: {error}") from error
    return RenderedMessage(language, subject, body, payload.get("link"))


# --- Inbox ---------------------------------------------------------------------------------


def prepare_inbox(event: ClaimedEvent, settings: Settings) -> Outcome:
    """Render the in-app message; the worker inserts it when it marks the event delivered."""
    started = utcnow()
    try:
        user_id = int(event.target)
    except ValueError:
        return Outcome(ok=False, permanent=True, error=f"invalid inbox target {event.target!r}",
                       started_at=started)
    try:
        message = render_message(event.payload, settings.default_language, settings.timezone)
    except PermanentFailure as error:
        return Outcome(ok=False, permanent=True, error=str(error), started_at=started)
    row = {
        "event_uid": event.uid,
        "user_id": user_id,
        "topic": event.topic[:100],
        "subject": message.subject[:300],
        "body": message.body,
        "link": message.link[:500] if message.link else None,
        "created_at": started,
    }
    return Outcome(ok=True, inbox=row, started_at=started)


# --- E-mail --------------------------------------------------------------------------------


def absolute_link(base_url: str, link: str | None) -> str | None:
    return urljoin(base_url.rstrip("/") + "/", link) if link else None


def build_email(event: ClaimedEvent, settings: Settings) -> EmailMessage:
    """A UTF-8 message in the recipient's language: plain text plus a simple HTML alternative."""
    message = render_message(event.payload, settings.default_language, settings.timezone)
    link = absolute_link(settings.base_url, message.link)
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = settings.mail_from
    email["To"] = event.target
    email["Date"] = formatdate(usegmt=True)
    # Receivers (and our own tests) drop duplicates of an at-least-once delivery by Message-ID.
    email["Message-ID"] = f"<{event.uid}@riskgate>"
    email["Content-Language"] = message.language
    text = message.body + (f"\n\n{link}\n" if link else "\n")
    # base64 keeps the message 7-bit clean for any relay, with or without 8BITMIME.
    email.set_content(text, charset="utf-8", cte="base64")
    link_html = ""
    if link:
        label = gettext(N_("Open in riskgate"), message.language)
        link_html = f'<p><a href="{html.escape(link)}">{html.escape(label)}</a></p>'
    paragraphs = "".join(
        f"<p>{html.escape(part)}</p>" for part in message.body.split("\n\n") if part.strip()
    )
    email.add_alternative(
        f'<!DOCTYPE html><html lang="{message.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(message.subject)}</title></head><body>"
        f"{paragraphs}{link_html}</body></html>",
        subtype="html", charset="utf-8", cte="base64",
    )
    return email


def send_email(event: ClaimedEvent, settings: Settings, timeout: float) -> Outcome:
    """Send one e-mail over SMTP; 5xx answers are permanent, everything else is retried."""
    started = utcnow()
    try:
        email = build_email(event, settings)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(email)
    except PermanentFailure as error:
        return Outcome(ok=False, permanent=True, error=str(error), started_at=started)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _msg in error.recipients.values()]
        return Outcome(ok=False, permanent=all(c >= 500 for c in codes), started_at=started,
                       error=_short(f"recipient refused: {error.recipients}"))
    except smtplib.SMTPResponseException as error:
        reply = error.smtp_error.decode("utf-8", "replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        return Outcome(ok=False, permanent=error.smtp_code >= 500, started_at=started,
                       error=_short(f"SMTP {error.smtp_code}: {reply}"))
    except (OSError, smtplib.SMTPException) as error:
        return Outcome(ok=False, started_at=started, error=_short(_describe(error)))
    return Outcome(ok=True, started_at=started)


# --- Webhooks ------------------------------------------------------------------------------


def webhook_body(event: ClaimedEvent) -> bytes:
    """The JSON document POSTed to an endpoint (compact, UTF-8, Chinese kept readable)."""
    document = {
        "id": event.uid,
        "type": event.topic,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "data": event.payload.get("data", {}),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signing_key(secret: str) -> bytes:
    """The HMAC key of an endpoint secret, as Standard Webhooks libraries derive it.

    riskgate's secrets are `whsec_` + base64 of 32 random bytes, and the key is those bytes, so
    off-the-shelf Standard Webhooks verifiers accept our signatures. A secret that is not in that
    form (set by hand) is used as its UTF-8 bytes.
    """
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except (ValueError, binascii.Error):
            pass
    return secret.encode()


def sign_webhook(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks `v1` signature: base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_headers(secret: str, message_id: str, body: bytes,
                    timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/json; charset=utf-8",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_webhook(secret, message_id, timestamp, body),
    }


def verify_webhook_signature(secret: str, headers: Mapping[str, str], body: bytes,
                             tolerance_seconds: int = 300, *, now: float | None = None) -> bool:
    """For receivers: True if the delivery is signed with `secret` and is recent enough.

    `headers` is any mapping of the request headers (any case). Several space-separated
    signatures are accepted (as during a secret rotation); the timestamp must be within
    `tolerance_seconds` of now, which stops replays of captured deliveries.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    message_id = lowered.get("webhook-id")
    timestamp_text = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not message_id or not timestamp_text or not signatures:
        return False
    try:
        timestamp = int(timestamp_text)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return False
    expected = sign_webhook(secret, message_id, timestamp, body)
    return any(
        candidate.startswith("v1,") and hmac.compare_digest(candidate, expected)
        for candidate in signatures.split()
    )


class WebhookSender:
    """POSTs deliveries with one keep-alive httpx.Client per pool thread (connection reuse)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._lock = threading.Lock()

    def _client(self) -> httpx.Client:
        client = getattr(self._local, "client", None)
        if client is None:
            client = httpx.Client(timeout=self.timeout, follow_redirects=False,
                                  headers={"user-agent": USER_AGENT})
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def send(self, event: ClaimedEvent, endpoint: Endpoint | None) -> Outcome:
        """Deliver to the endpoint; 2xx is success, anything else a retryable failure."""
        started = utcnow()
        if endpoint is None:
            return Outcome(ok=False, permanent=True, started_at=started,
                           error=f"webhook endpoint {event.target} no longer exists")
        if not endpoint.active:
            return Outcome(ok=False, permanent=True, started_at=started,
                           error=f"webhook endpoint {endpoint.id} is deactivated")
        body = webhook_body(event)
        headers = webhook_headers(endpoint.secret, event.uid, body)
        try:
            response = self._client().post(endpoint.url, content=body, headers=headers)
        except httpx.TimeoutException as error:
            return Outcome(ok=False, started_at=started,
                           error=f"timed out after {self.timeout:g} s ({type(error).__name__})")
        except httpx.HTTPError as error:
            return Outcome(ok=False, started_at=started, error=_short(_describe(error)))
        if 200 <= response.status_code < 300:
            return Outcome(ok=True, started_at=started)
        excerpt = response.content[:ERROR_BODY_BYTES].decode("utf-8", "replace")
        message = f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else "")
        return Outcome(ok=False, started_at=started, error=message)

    def close(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()


# --- Dispatch ------------------------------------------------------------------------------


class Deliverer:
    """Routes a claimed event to its channel; holds the per-worker resources (HTTP clients)."""

    def __init__(self, settings: Settings, timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout
        self.webhooks = WebhookSender(timeout)

    def deliver(self, event: ClaimedEvent, endpoints: Mapping[int, Endpoint]) -> Outcome:
        if event.channel == Channel.INBOX:
            outcome = prepare_inbox(event, self.settings)
        elif event.channel == Channel.EMAIL:
            outcome = send_email(event, self.settings, self.timeout)
        elif event.channel == Channel.WEBHOOK:
            outcome = self.webhooks.send(event, endpoints.get(_int_or_none(event.target) or -1))
        else:  # pragma: no cover — a channel added to the enum without a sender
            outcome = Outcome(ok=False, permanent=True, error=f"no sender for {event.channel}")
        # started_at is set by each channel; finished_at is now, for every channel alike.
        return Outcome(ok=outcome.ok, error=outcome.error, permanent=outcome.permanent,
                       attempted=outcome.attempted, inbox=outcome.inbox,
                       started_at=outcome.started_at, finished_at=utcnow())

    def close(self) -> None:
        self.webhooks.close()


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _short(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
