"""Tracking numbers and access codes of public reports (pure).

A tracking number is `<prefix>-<year>-XXXX-XXXX`: eight random characters of Crockford's base32
(40 bits), never sequential, so one number says nothing about the others. The access code handed
out with it (ten more characters, 50 bits) is what lets the reporter — and only the reporter —
read the report's status; only its SHA-256 is stored. Both are read back forgivingly: case,
spaces, dashes and the letters Crockford maps (O→0, I/L→1) do not matter.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
PREFIXES = {"complaint": "TS", "whistleblower": "WB", "enterprise": "ER"}
_TRACKING = re.compile(r"^(TS|WB|ER)-(\d{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$")
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
ACCESS_CODE_LENGTH = 10


def _random(count: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(count))


def new_tracking_number(kind: str, year: int) -> str:
    body = _random(8)
    return f"{PREFIXES[kind]}-{year:04d}-{body[:4]}-{body[4:]}"


def normalise_tracking_number(value: str | None) -> str | None:
    """The canonical form of a typed tracking number, or None if it cannot be one."""
    if not value:
        return None
    text = re.sub(r"[\s\u3000_－—–-]+", "", value.strip().upper())
    if len(text) != 14 or not text[:2].isalpha():
        return None
    text = text[:2] + text[2:].translate(_FOLD)
    candidate = f"{text[:2]}-{text[2:6]}-{text[6:10]}-{text[10:]}"
    return candidate if _TRACKING.match(candidate) else None


def new_access_code() -> str:
    code = _random(ACCESS_CODE_LENGTH)
    return f"{code[:5]}-{code[5:]}"


def normalise_access_code(value: str | None) -> str | None:
    if not value:
        return None
    text = re.sub(r"[\s\u3000_－—–-]+", "", value.strip().upper()).translate(_FOLD)
    if len(text) != ACCESS_CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def hash_access_code(code: str) -> str:
    """SHA-256 of the normalised code (dashes and case do not change it)."""
    normalised = normalise_access_code(code) or ""
    return hashlib.sha256(normalised.encode()).hexdigest()


def access_code_matches(code: str | None, stored_hash: str) -> bool:
    normalised = normalise_access_code(code)
    if normalised is None:
        return False
    return hmac.compare_digest(hashlib.sha256(normalised.encode()).hexdigest(), stored_hash)
