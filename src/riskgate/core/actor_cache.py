"""A short-lived, in-process cache of resolved credentials (token or session → actor).

Resolving a credential costs three queries on every request; caching it for a few seconds takes
that off the hot path. Any audited change to users, roles, tokens, sessions or organisations
clears this process's cache at once (see audit.service.record); other processes see the change
within TTL_SECONDS. The idle timeout and last-seen bookkeeping stay exact to within that TTL.
"""

from __future__ import annotations

import threading
import time
from typing import Any

TTL_SECONDS = 5.0
MAX_ENTRIES = 20_000
IDENTITY_OBJECTS = frozenset({"user", "api_token", "organisation", "web_session"})

_lock = threading.Lock()
_entries: dict[str, tuple[float, int, Any]] = {}
_generation = 0


def get(key: str) -> Any | None:
    with _lock:
        found = _entries.get(key)
        if found is None:
            return None
        expires, generation, value = found
        if generation != _generation or expires < time.monotonic():
            _entries.pop(key, None)
            return None
        return value


def put(key: str, value: Any) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (time.monotonic() + TTL_SECONDS, _generation, value)


def invalidate() -> None:
    """Forget everything cached in this process (called on any identity change)."""
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()
