"""What audit actions and object types are called on pages, in the reader's language.

Each domain labels its own audit rows: `AUDIT_LABELS` (code → msgid) in its `enums.py`, named
in its `domain.py` (`audit_labels=(...)`). The audit pages and every timeline built from audit
rows read the merged table, so a new domain's actions are labelled without touching this one.
A code without a label is shown as it is.
"""

from __future__ import annotations

from functools import cache

from riskgate.core import domain
from riskgate.core.i18n import gettext


@cache
def audit_labels() -> dict[str, str]:
    """Every installed domain's labels of audit actions and object types (code → msgid)."""
    merged: dict[str, str] = {}
    for table in domain.resolve("audit_labels"):
        merged.update(table)
    return merged


def action_label(code: str, language: str) -> str:
    msgid = audit_labels().get(code)
    return gettext(msgid, language) if msgid else code


def object_type_label(code: str, language: str) -> str:
    msgid = audit_labels().get(code)
    return gettext(msgid, language) if msgid else code


def known_actions() -> list[str]:
    """Codes of the labelled actions (the audit search offers these): they contain a dot."""
    return sorted(code for code in audit_labels() if "." in code)


def known_object_types() -> list[str]:
    return sorted(code for code in audit_labels() if "." not in code)
