"""OASIS CAP 1.2 (Common Alerting Protocol) messages for published warnings — pure: no database,
no HTTP. `publication.feeds.message_for` fills a `CapMessage` from the models; `build_cap` writes
it.

Mapping (W1/W2 → CAP):
- severity by level: I Extreme, II Severe, III Moderate, IV Minor (the level in force after a
  follow-up);
- urgency by level: I Immediate (act now), II Expected (act soon), III and IV Future (act in
  the normal course of supervision); a lifting or withdrawal says Past: nothing is to be done
  any more;
- certainty Observed: a warning is published after an assessment concluded on evidence;
- scope: 通报 bulletin and 通告 notice are Restricted with a `<restriction>` saying who may read
  them; 公告 announcement is Public;
- msgType: the first publication is an Alert; an adjustment an Update; a lifting a Cancel with
  responseType AllClear; a withdrawal a Cancel with responseType None and a note that the
  warning was published in error. Follow-ups reference the original and every earlier message;
- category Health for food and agricultural products (HS chapters 01–24), Safety otherwise;
- instruction: what consumers should do for an announcement, what enterprises must do for a
  bulletin or notice (the other when that one is empty);
- one `<info>` in zh-CN and one in en (English text falls back to the Chinese where the warning
  has no English version).

CAP forbids spaces, commas, `<` and `&` in sender and identifier (references are
space-separated "sender,identifier,sent" triples): `cap_token` replaces them. Every text goes
through `xml_text`, which drops the characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MEDIA_TYPE = "application/cap+xml"
XML_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"
LOCAL_TIME = ZoneInfo("Asia/Shanghai")

SEVERITY = {"I": "Extreme", "II": "Severe", "III": "Moderate", "IV": "Minor"}
URGENCY = {"I": "Immediate", "II": "Expected", "III": "Future", "IV": "Future"}
LEVEL_NAMES = {
    "I": ("特别严重", "extremely serious"), "II": ("严重", "serious"),
    "III": ("较重", "relatively serious"), "IV": ("一般", "general"),
}  # fmt: skip
TYPE_NAMES = {
    "bulletin": ("风险警示通报", "Risk warning bulletin"),
    "notice": ("风险警示通告", "Risk warning notice"),
    "announcement": ("风险警示公告", "Risk warning announcement"),
}
RESTRICTIONS = {
    "bulletin": "仅限监管部门 / For regulators only",
    "notice": "仅限监管部门及所涉企业 / For regulators and the enterprises named only",
}
FOLLOW_UP_NOTES = {
    "adjustment": ("调整", "Adjustment"),
    "lifting": ("解除", "Lifting"),
    "withdrawal": ("撤回（误发）", "Withdrawal (published in error)"),
}
# Food, live animals, plants and prepared foodstuffs: HS sections I–IV.
FOOD_CHAPTERS = frozenset(f"{n:02d}" for n in range(1, 25))
HEADLINE_MAX = 160

# Characters XML 1.0 can carry (§2.2); everything else is dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_TOKEN = re.compile(r"[\s,<&\"']+")


def xml_text(value: object) -> str:
    """The value as text XML 1.0 can carry (control characters and lone surrogates dropped)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def cap_token(value: str) -> str:
    """A sender or identifier CAP allows: no spaces, commas, quotes, `<` or `&`."""
    return _NOT_TOKEN.sub("-", xml_text(value)).strip("-") or "-"


def cap_time(value: dt.datetime) -> str:
    """CAP's dateTime: local time with offset, no fractional seconds (2026-11-21T20:49:11+08:00);
    a naive time is taken as UTC (how the database returns it on SQLite)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_TIME).replace(microsecond=0).isoformat()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), LOCAL_TIME)


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), LOCAL_TIME)


@dataclass(frozen=True, slots=True)
class CapReference:
    """An earlier message of the same warning (for `<references>`)."""

    sender: str
    identifier: str
    sent: dt.datetime

    def render(self) -> str:
        return f"{cap_token(self.sender)},{cap_token(self.identifier)},{cap_time(self.sent)}"


@dataclass(frozen=True, slots=True)
class CapArea:
    """A named place of the warning's scope: a region (GB/T 2260 code) or a port."""

    code: str
    name_zh: str
    name_en: str
    is_region: bool


@dataclass(frozen=True, slots=True)
class CapMessage:
    """Everything one CAP message says about a warning (its publication or one follow-up).

    `kind` is "publication" or a follow-up kind ("adjustment", "lifting", "withdrawal");
    `level` is the level in force after the message.
    """

    identifier: str
    sender: str
    sent: dt.datetime
    kind: str
    level: str
    warning_type: str
    number: str
    title: str
    web: str
    sender_name_zh: str
    sender_name_en: str = ""
    title_en: str | None = None
    summary: str | None = None
    summary_en: str | None = None
    hazard: str | None = None
    consumer_instructions: str | None = None
    enterprise_instructions: str | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    hs_codes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    areas: tuple[CapArea, ...] = ()
    reason: str | None = None
    evaluation: str | None = None
    sequence: int | None = None
    references: tuple[CapReference, ...] = field(default=())

    @property
    def msg_type(self) -> str:
        return {"publication": "Alert", "adjustment": "Update"}.get(self.kind, "Cancel")

    @property
    def scope(self) -> str:
        return "Public" if self.warning_type == "announcement" else "Restricted"

    @property
    def category(self) -> str:
        food = any(code[:2] in FOOD_CHAPTERS for code in self.hs_codes if len(code) >= 2)
        return "Health" if food else "Safety"


def _add(parent: ET.Element, tag: str, text: object | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = xml_text(text)
    return element


def _parameter(info: ET.Element, name: str, value: str) -> None:
    parameter = _add(info, "parameter")
    _add(parameter, "valueName", name)
    _add(parameter, "value", value)


def _paragraphs(*parts: str | None) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _info(message: CapMessage, english: bool) -> ET.Element:
    info = ET.Element("info")
    _add(info, "language", "en" if english else "zh-CN")
    _add(info, "category", message.category)
    title = (message.title_en or message.title) if english else message.title
    _add(info, "event", title)
    if message.kind == "lifting":
        _add(info, "responseType", "AllClear")
    elif message.kind == "withdrawal":
        _add(info, "responseType", "None")
    closed = message.kind in ("lifting", "withdrawal")
    _add(info, "urgency", "Past" if closed else URGENCY[message.level])
    _add(info, "severity", SEVERITY[message.level])
    _add(info, "certainty", "Observed")
    if message.effective_from is not None:
        _add(info, "effective", cap_time(_day_start(message.effective_from)))
    if message.effective_until is not None:
        _add(info, "expires", cap_time(_day_end(message.effective_until)))
    _add(info, "senderName", (message.sender_name_en or message.sender_name_zh) if english
         else message.sender_name_zh)
    level_zh, level_en = LEVEL_NAMES[message.level]
    note_zh, note_en = FOLLOW_UP_NOTES.get(message.kind, ("", ""))
    if english:
        prefix = f"[Level {message.level}, {level_en}]" + (f" {note_en}:" if note_en else "")
    else:
        prefix = f"【{message.level}级 {level_zh}】" + (f"{note_zh}：" if note_zh else "")
    headline = f"{prefix} {xml_text(title)}".strip()
    _add(info, "headline", headline[:HEADLINE_MAX])
    summary = (message.summary_en or message.summary) if english else message.summary
    follow_up = ""
    if message.reason or message.evaluation:
        labels = ("Reason", "Evaluation") if english else ("理由", "评估")
        follow_up = _paragraphs(
            message.reason and f"{labels[0]}: {message.reason}",
            message.evaluation and f"{labels[1]}: {message.evaluation}",
        )
    description = _paragraphs(follow_up, summary, message.hazard)
    if description:
        _add(info, "description", description)
    if message.warning_type == "announcement":
        instruction = message.consumer_instructions or message.enterprise_instructions
    else:  # bulletins and notices speak to regulators and enterprises
        instruction = message.enterprise_instructions or message.consumer_instructions
    if instruction:
        _add(info, "instruction", instruction)
    _add(info, "web", message.web)
    type_zh, type_en = TYPE_NAMES[message.warning_type]
    _parameter(info, "warningNumber", message.number)
    _parameter(info, "warningLevel", message.level)
    _parameter(info, "warningType", type_en if english else type_zh)
    if message.sequence is not None:
        _parameter(info, "followUp", str(message.sequence))
    for code in message.hs_codes:
        _parameter(info, "hsCode", code)
    for code in message.countries:
        _parameter(info, "originCountry", code)
    for category in message.categories:
        _parameter(info, "productCategory", category)
    regions = [a for a in message.areas if a.is_region]
    ports = [a for a in message.areas if not a.is_region]
    for places, value_name in ((regions, "GB/T 2260"), (ports, "port")):
        if not places:
            continue
        area = _add(info, "area")
        names = [(p.name_en or p.name_zh) if english else p.name_zh for p in places]
        _add(area, "areaDesc", ", ".join(names) if english else "、".join(names))
        for place in places:
            geocode = _add(area, "geocode")
            _add(geocode, "valueName", value_name)
            _add(geocode, "value", place.code)
    return info


def build_cap_element(message: CapMessage) -> ET.Element:
    """The `<alert>` element of the message (namespace declared on it)."""
    alert = ET.Element("alert", {"xmlns": CAP_NAMESPACE})
    _add(alert, "identifier", cap_token(message.identifier))
    _add(alert, "sender", cap_token(message.sender))
    _add(alert, "sent", cap_time(message.sent))
    _add(alert, "status", "Actual")
    _add(alert, "msgType", message.msg_type)
    _add(alert, "scope", message.scope)
    if message.scope == "Restricted":
        _add(alert, "restriction", RESTRICTIONS[message.warning_type])
    if message.kind == "withdrawal":
        _add(alert, "note", _paragraphs("Published in error / 误发撤回", message.reason))
    elif message.reason and message.kind != "publication":
        _add(alert, "note", message.reason)
    if message.references:
        _add(alert, "references", " ".join(r.render() for r in message.references))
    alert.append(_info(message, english=False))
    alert.append(_info(message, english=True))
    return alert


def build_cap(message: CapMessage) -> bytes:
    """The CAP 1.2 document (UTF-8, with the XML declaration)."""
    # Serialised to str and encoded once: ElementTree writing UTF-8 itself resets the codec
    # on every small write, which doubles the cost.
    return XML_DECLARATION + ET.tostring(build_cap_element(message), encoding="unicode").encode()
