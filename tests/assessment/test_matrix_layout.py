"""The risk matrix in a real Chromium at 1366×768: every cell keeps its risk colour on every row
(the table's zebra stripes and row hover must not paint over it) and the table fits its card."""

from __future__ import annotations

from riskgate.assessment import service
from tests.assessment.conftest import SERIOUS, open_draft
from tests.browser import BROWSER_MARKS, signed_in_page

pytestmark = BROWSER_MARKS

WHITE = "rgb(255, 255, 255)"
# What each cell shows, read in the browser: its colours, and whether the table fits its card.
_MEASURE = """() => {
  const table = document.querySelector('#risk-matrix');
  const card = table.closest('.card');
  const cells = [...table.querySelectorAll('td.cell')].map(c => {
    const s = getComputedStyle(c);
    return {cls: c.className, bg: s.backgroundColor, fg: s.color};
  });
  const t = table.getBoundingClientRect(), k = card.getBoundingClientRect();
  const scroller = table.parentElement;
  const scrolls = getComputedStyle(scroller).overflowX === 'auto'
    && scroller.closest('.card') === card;
  return {cells, tableRight: t.right, cardRight: k.right, tableWidth: table.scrollWidth,
          scrollerWidth: scroller.clientWidth, scrolls,
          cardOverflows: card.scrollWidth > card.clientWidth + 1,
          pageOverflows: document.documentElement.scrollWidth > window.innerWidth};
}"""


def _check(page) -> None:  # type: ignore[no-untyped-def]
    measured = page.evaluate(_MEASURE)
    assert len(measured["cells"]) == 8 * 4  # eight probability bands, four severities
    for cell in measured["cells"]:
        assert cell["bg"] not in (WHITE, "rgba(0, 0, 0, 0)"), cell
        assert cell["bg"] != cell["fg"], cell
    # The same level has the same colour on every row (no zebra stripe over it).
    by_level: dict[str, set[str]] = {}
    for cell in measured["cells"]:
        level = next(c for c in cell["cls"].split() if c.startswith("risk-"))
        by_level.setdefault(level, set()).add(cell["bg"])
    assert all(len(colours) == 1 for colours in by_level.values()), by_level
    assert not measured["cardOverflows"], measured
    assert not measured["pageOverflows"], measured
    fits = measured["tableRight"] <= measured["cardRight"] + 1
    assert fits or (measured["scrolls"] and measured["tableWidth"] > measured["scrollerWidth"]), \
        measured


def test_matrix_cells_keep_their_colours_and_fit_the_card(browser, live_server, settings, db,
                                                          aw):  # type: ignore[no-untyped-def]
    draft = open_draft(db, aw)
    service.update_assessment(db, aw.actor(aw.officer_a), draft.id, {"scenarios": [SERIOUS]})
    db.commit()
    problems: list[str] = []
    page = signed_in_page(browser, live_server, settings, aw.officer_a.username,
                          problems=problems)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/console/assessments/{draft.id}")
    page.wait_for_selector("#risk-matrix #current-cell")
    _check(page)
    # Hovering a row (an even one included) does not paint over the cells either.
    page.hover("#risk-matrix tbody tr:nth-child(2) td.cell >> nth=0")
    _check(page)
    # The read-only page of an assessment under review shows the same matrix.
    service.submit_to_committee(db, aw.actor(aw.officer_a), draft.id)
    db.commit()
    page.goto(f"{live_server}/console/assessments/{draft.id}")
    page.wait_for_selector("#risk-matrix #current-cell")
    _check(page)
    assert problems == []
