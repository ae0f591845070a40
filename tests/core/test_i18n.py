"""Every user-visible string has a Simplified Chinese translation, with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src/riskgate/locale/zh_CN/LC_MESSAGES/messages.po"


def test_every_msgid_is_translated():
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_placeholders_survive_translation():
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    placeholder = re.compile(r"\{(\w+)\}")
    wrong = [
        m.id
        for m in catalog
        if m.id
        and m.string
        and set(placeholder.findall(m.id)) != set(placeholder.findall(m.string))
    ]
    assert wrong == []
