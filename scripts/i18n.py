"""Keep the zh-CN catalog in step with the code: python scripts/i18n.py [--check].

Extracts every msgid (N_, _, gettext, ngettext in Python; _() and {% trans %} in templates) and
merges them into src/riskgate/locale/zh_CN/LC_MESSAGES/messages.po, keeping translations. With
--check it changes nothing and exits 1 if a msgid has no translation (the test suite does this).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "riskgate"
PO_PATH = SOURCE / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    template = Catalog(project="riskgate", locale=None)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        SOURCE, METHOD_MAP, OPTIONS, KEYWORDS, strip_comment_tags=True
    ):
        if "node_modules" in filename:
            continue
        template.add(message, locations=[(filename, lineno)])
    return template


def load_po() -> Catalog:
    """messages.po with the translations of any further *.po beside it folded in."""
    if not PO_PATH.exists():
        return Catalog(locale="zh_CN", project="riskgate")
    sys.path.insert(0, str(ROOT / "src"))
    from riskgate.core.i18n import load_catalog

    return load_catalog(PO_PATH.parent)


def extra_po_files() -> list[Path]:
    return [p for p in sorted(PO_PATH.parent.glob("*.po")) if p.name != "messages.po"]


def untranslated(catalog: Catalog, template: Catalog) -> list[str]:
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        value = found.string if found else None
        if not value or (isinstance(value, tuple) and not all(value)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main() -> int:
    template = extract()
    catalog = load_po()
    if "--check" in sys.argv:
        missing = untranslated(catalog, template)
        for msgid in missing:
            print(f"untranslated: {msgid!r}")
        return 1 if missing else 0
    catalog.update(template, no_fuzzy_matching=True)
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    with PO_PATH.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            omit_header=False,
            sort_output=True,
            ignore_obsolete=True,
            include_lineno=False,
        )
    # The further files are folded into messages.po now, so one file holds every translation.
    for extra in extra_po_files():
        extra.unlink()
    missing = untranslated(catalog, template)
    print(f"{len(template)} msgids, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
