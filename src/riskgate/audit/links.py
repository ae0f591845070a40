"""Links from an audit row to the console page of the object it is about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Object types whose console page is known, and the path of one object's page.
OBJECT_PAGES = {
    "organisation": "/console/organisations/{id}",
    "user": "/console/users/{id}",
    "outbox_event": "/console/outbox/{id}",
    "risk_record": "/console/records/{id}",
}


def object_link(object_type: str, object_id: str | int | None) -> str | None:
    """The console page of an audited object, when there is one."""
    if object_id is None or not str(object_id).isdigit():
        return None
    page = OBJECT_PAGES.get(object_type)
    return page.format(id=object_id) if page is not None else None


# Every page template may call these (named in domain.py; the composition root installs them).
TEMPLATE_GLOBALS: dict[str, Callable[..., Any]] = {"object_link": object_link}
