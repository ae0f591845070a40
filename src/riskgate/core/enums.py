"""Enums whose members carry their label, so no page shows a raw code where a label exists.

    class RecallStatus(LabelledEnum):
        draft = "draft", N_("Draft")
        in_progress = "in_progress", N_("In progress")

`RecallStatus.draft` is the string "draft" everywhere it is stored, sent or compared (a
`StrEnum`); `RecallStatus.draft.label("zh-CN")` is "草稿" — the English msgid translated through the
zh-CN catalogue like every other text, so each member has a label in each language. Templates
call `value|label` (see `riskgate.web.templating`), forms offer `RecallStatus.choices(lang)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Self

from riskgate.core.i18n import gettext


class LabelledEnum(StrEnum):
    """A string enum whose members are declared as `name = "value", N_("Label")`."""

    _value_: str
    _msgid: str

    def __new__(cls, value: str, msgid: str | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._msgid = msgid if msgid is not None else value
        return member

    @property
    def msgid(self) -> str:
        """The English label (the msgid): what `label` translates."""
        return self._msgid

    def label(self, language: str) -> str:
        """The member's label in `language` (zh-CN or en)."""
        return gettext(self._msgid, language)

    @classmethod
    def choices(cls, language: str, members: Iterable[Self] | None = None
                ) -> list[tuple[str, str]]:
        """(value, label) pairs for a select, in declaration order (or of `members`)."""
        return [(m.value, m.label(language)) for m in (cls if members is None else members)]

    @classmethod
    def parse(cls, value: Any) -> Self | None:
        """The member for a stored or submitted value; None when it is not one."""
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            return None

    @classmethod
    def label_of(cls, value: Any, language: str) -> str:
        """The label of a value that may be a member, its string, or something unknown
        (shown as it is: old rows may hold codes that are no longer members)."""
        if value is None or value == "":
            return ""
        member = cls.parse(value)
        return member.label(language) if member is not None else str(value)


def label(value: Any, language: str) -> str:
    """The label of any value: a labelled member's label, else the value as text."""
    if isinstance(value, LabelledEnum):
        return value.label(language)
    if value is None:
        return ""
    return str(getattr(value, "value", value))
