"""Webhook signatures (Standard Webhooks v1) and the retry schedule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import time

from riskgate.outbox.channels import sign_webhook, verify_webhook_signature, webhook_headers
from riskgate.outbox.worker import BACKOFF_CAP_SECONDS, backoff_seconds

SECRET = "whsec_test-secret-0123456789"
BODY = '{"id":"e1","type":"warning.issued","data":{"产品":"婴儿配方奶粉"}}'.encode()


def test_signature_is_hmac_sha256_of_id_timestamp_body() -> None:
    signature = sign_webhook(SECRET, "e1", 1_700_000_000, BODY)
    expected = hmac.new(SECRET.encode(), b"e1.1700000000." + BODY, hashlib.sha256).digest()
    assert signature == "v1," + base64.b64encode(expected).decode()


def test_good_signature_verifies() -> None:
    headers = webhook_headers(SECRET, "e1", BODY)
    assert verify_webhook_signature(SECRET, headers, BODY)
    # Header names are case-insensitive, as in HTTP.
    assert verify_webhook_signature(SECRET, {k.upper(): v for k, v in headers.items()}, BODY)


def test_tampered_body_fails() -> None:
    headers = webhook_headers(SECRET, "e1", BODY)
    assert not verify_webhook_signature(SECRET, headers, BODY.replace("奶粉".encode(), b"milk"))


def test_wrong_secret_fails() -> None:
    headers = webhook_headers(SECRET, "e1", BODY)
    assert not verify_webhook_signature("whsec_another-secret", headers, BODY)


def test_changed_id_or_timestamp_fails() -> None:
    headers = webhook_headers(SECRET, "e1", BODY)
    assert not verify_webhook_signature(SECRET, {**headers, "webhook-id": "e2"}, BODY)
    later = str(int(headers["webhook-timestamp"]) + 1)
    assert not verify_webhook_signature(SECRET, {**headers, "webhook-timestamp": later}, BODY)


def test_stale_or_future_timestamp_fails() -> None:
    now = int(time.time())
    stale = webhook_headers(SECRET, "e1", BODY, timestamp=now - 301)
    assert not verify_webhook_signature(SECRET, stale, BODY)
    assert verify_webhook_signature(SECRET, stale, BODY, tolerance_seconds=600)
    future = webhook_headers(SECRET, "e1", BODY, timestamp=now + 301)
    assert not verify_webhook_signature(SECRET, future, BODY)


def test_missing_or_malformed_headers_fail() -> None:
    headers = webhook_headers(SECRET, "e1", BODY)
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        assert not verify_webhook_signature(
            SECRET, {k: v for k, v in headers.items() if k != name}, BODY)
    assert not verify_webhook_signature(SECRET, {**headers, "webhook-timestamp": "soon"}, BODY)
    bare = headers["webhook-signature"].removeprefix("v1,")
    assert not verify_webhook_signature(SECRET, {**headers, "webhook-signature": bare}, BODY)


def test_any_of_several_signatures_verifies() -> None:
    """During a secret rotation a sender may sign with both secrets."""
    headers = webhook_headers(SECRET, "e1", BODY)
    old = sign_webhook("whsec_old", "e1", int(headers["webhook-timestamp"]), BODY)
    headers["webhook-signature"] = f"{old} {headers['webhook-signature']}"
    assert verify_webhook_signature(SECRET, headers, BODY)


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempt in range(1, 8):
        ceiling = 2.0 * 2 ** (attempt - 1)
        delays = [backoff_seconds(attempt, 2.0, rng=rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # jitter spreads the retries
    assert backoff_seconds(40, 2.0, rng=rng) <= BACKOFF_CAP_SECONDS
    assert backoff_seconds(10_000, 2.0, rng=rng) >= BACKOFF_CAP_SECONDS / 2


def test_signature_matches_the_standard_webhooks_derivation():
    """A generated secret's key is the base64-decoded part, as other verifiers derive it."""
    import base64
    import hashlib
    import hmac

    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    expected = base64.b64encode(
        hmac.new(b"k" * 32, b"msg_1.1700000000." + BODY, hashlib.sha256).digest()
    ).decode()
    assert sign_webhook(secret, "msg_1", 1_700_000_000, BODY) == "v1," + expected
