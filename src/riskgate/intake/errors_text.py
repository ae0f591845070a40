"""Rendering of row problems (msgid + params) in the reader's language."""

from __future__ import annotations

from typing import Any

from riskgate.core.errors import translate


def translate_problem(problem: dict[str, Any], language: str) -> str:
    """One stored problem as text in zh-CN or en."""
    return translate(problem.get("message", ""), language, problem.get("params") or {})
