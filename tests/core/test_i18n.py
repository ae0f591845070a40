"""Every user-visible string has a Simplified Chinese translation, with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

from riskgate.core.i18n import load_catalog

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
    catalog = load_catalog(PO.parent)
    placeholder = re.compile(r"\{(\w+)\}")

    def names(text) -> set[str]:  # type: ignore[no-untyped-def]
        texts = text if isinstance(text, tuple) else (text,)
        return {name for t in texts if t for name in placeholder.findall(t)}

    wrong = [m.id for m in catalog if m.id and m.string and names(m.id) != names(m.string)]
    assert wrong == []
