"""Information sources and collection channels (信息来源 / 采集渠道), requirements M2, M3, M5.

Written by hand in data/source_channels.csv. Each entry says who owns it and how often new
information is expected (cadence in days), which the channel-health check uses to notice a
channel that has gone quiet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from riskgate.catalog._base import Labelled, read_csv_rows
from riskgate.catalog.enums import ChannelKind, SourceChannel, SourceOwner


@dataclass(frozen=True, slots=True)
class ChannelEntry(Labelled):
    """A source or channel of risk information."""

    code: SourceChannel
    kind: ChannelKind
    owner_org: SourceOwner
    cadence_days: int
    parent: SourceChannel | None  # e.g. the RASFF feed is a kind of foreign_notice
    requirement: str
    name_zh: str
    name_en: str


@cache
def source_channels() -> tuple[ChannelEntry, ...]:
    """All sources, channels and feeds, in the catalogue's order (grouped by owner)."""
    return tuple(
        ChannelEntry(
            code=SourceChannel(row["code"]),
            kind=ChannelKind(row["kind"]),
            owner_org=SourceOwner(row["owner_org"]),
            cadence_days=int(row["cadence_days"]),
            parent=SourceChannel(row["parent"]) if row["parent"] else None,
            requirement=row["requirement"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in read_csv_rows("source_channels.csv")
    )


@cache
def _by_code() -> dict[str, ChannelEntry]:
    return {entry.code.value: entry for entry in source_channels()}


def source_channel(code: object) -> ChannelEntry | None:
    """Return a source or channel by its code ("public_opinion", "hotline_12315"), or None."""
    return _by_code().get(code) if isinstance(code, str) else None


def channels_owned_by(org_type: SourceOwner | str) -> tuple[ChannelEntry, ...]:
    """Sources and channels that an organisation type owns (those owned by "any" not included)."""
    return tuple(entry for entry in source_channels() if entry.owner_org == org_type)


def channels_of_kind(kind: ChannelKind | str) -> tuple[ChannelEntry, ...]:
    """Only the sources, only the channels, or only the automated feeds."""
    return tuple(entry for entry in source_channels() if entry.kind == kind)
