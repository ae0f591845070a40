"""The public release check (发布前检查): what in a warning's public text should not reach the
portal — internal references (risk record numbers RR-…, complaint tracking numbers TS-…,
expert names, panel votes), non-Chinese text in a 公告 — and what it lacks (the issuing
authority, the document number 文号). Pure: the caller gives the texts and the names to look
for; the approver sees the findings beside the preview before publishing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from riskgate.core.i18n import N_

# Boundaries by ASCII lookarounds: a Chinese character is a "word" character for \b.
RECORD_NUMBER = re.compile(r"(?<![A-Za-z0-9])RR-\d{4}-\d{3,}(?!\d)", re.IGNORECASE)
COMPLAINT_NUMBER = re.compile(r"(?<![A-Za-z0-9])TS-\d{4,}(?:-\d+)*(?!\d)", re.IGNORECASE)
# A committee's tally or decision rule as the experts stage writes it: "(majority)", "unsafe 2",
# "3 票", "表决", "多数通过", "投票".
PANEL_VOTE = re.compile(
    r"\((?:majority|consensus)\)"
    r"|(?<![A-Za-z])(?:unsafe|safe|abstain|inconclusive)\s*[:：]?\s*\d+(?!\d)"
    r"|\d+\s*票|表决|投票|多数通过|一致通过|专家组意见", re.IGNORECASE)
# A run of Latin letters long enough to be a word (brands and models like "XT-01" are shorter
# or named in the products table, which is exempt).
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
# Fields of the public text: (name, label msgid).
PUBLIC_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", N_("Title")), ("summary", N_("Summary")), ("hazard", N_("Hazard")),
    ("consumer_instructions", N_("What consumers should do")),
    ("enterprise_instructions", N_("What enterprises must do")),
)
ANNOUNCEMENT = "announcement"


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, the field it was found in ("" for the whole warning), the msgid
    saying what is wrong and its parameters."""

    kind: str
    field: str
    message: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class PublicText:
    """What the portal will show, as plain values."""

    warning_type: str
    texts: Mapping[str, str | None]
    issuing_authority: str | None
    document_number: str | None
    expert_names: tuple[str, ...] = ()


def _shown(found: Iterable[str]) -> str:
    return "、".join(dict.fromkeys(found))


def check(text: PublicText) -> list[Finding]:
    """Every finding, field by field in the portal's order, then what the warning lacks."""
    findings: list[Finding] = []
    names = tuple(n.strip() for n in text.expert_names if n and len(n.strip()) >= 2)
    for name, _label in PUBLIC_FIELDS:
        value = text.texts.get(name) or ""
        if not value:
            continue
        if found := RECORD_NUMBER.findall(value):
            findings.append(Finding("record_number", name, N_(
                "Internal risk record number(s) {found}: the public does not know them."),
                {"found": _shown(found)}))
        if found := COMPLAINT_NUMBER.findall(value):
            findings.append(Finding("complaint_number", name, N_(
                "Complaint tracking number(s) {found}: they identify a complainant."),
                {"found": _shown(found)}))
        if found := [n for n in names if n in value]:
            findings.append(Finding("expert_name", name, N_(
                "Expert name(s) {found}: the panel's members are not published."),
                {"found": _shown(found)}))
        if found := PANEL_VOTE.findall(value):
            findings.append(Finding("panel_vote", name, N_(
                "The panel's votes or decision rule ({found}): publish the conclusion, not "
                "the tally."), {"found": _shown(found)}))
        if text.warning_type == ANNOUNCEMENT and (found := LATIN_WORD.findall(value)):
            findings.append(Finding("non_chinese", name, N_(
                "Non-Chinese text in a public announcement ({found}): write it in Chinese "
                "(the English version has its own fields)."), {"found": _shown(found)}))
    if not (text.issuing_authority or "").strip():
        findings.append(Finding("no_authority", "", N_(
            "No issuing authority: the portal would not say who issued the warning.")))
    if not (text.document_number or "").strip():
        findings.append(Finding("no_document_number", "", N_(
            "No document number (文号).")))
    return findings


def blocking(findings: Iterable[Finding]) -> bool:
    """Whether any finding is of a kind the portal must never show (the others are advice)."""
    return any(f.kind in ("record_number", "complaint_number", "expert_name", "panel_vote")
               for f in findings)
