"""Codes of the search domain."""

from __future__ import annotations

from riskgate.core.i18n import N_

# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "search.reindex": N_("Search index rebuilt"),
}
