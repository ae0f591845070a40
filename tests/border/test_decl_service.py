"""Declaration screening service: validation, lanes with reasons, determinism and replay."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.border.declarations import service as declarations
from riskgate.border.declarations.reasons import reason_text
from riskgate.border.declarations.schemas import check_declaration
from riskgate.border.models import Declaration, PortLaneLedger
from riskgate.core.errors import Conflict, ValidationFailed
from tests.border.decl_world import build, declaration, line, safe_line


def _locs(error: ValidationFailed) -> set[str]:
    return {problem.loc for problem in error.fields}


@pytest.mark.parametrize(("overrides", "loc"), [
    ({"hs_code": "0100000000"}, "lines.0.hs_code"),
    ({"hs_code": "9503"}, "lines.0.hs_code"),
    ({"origin_country": "XX"}, "lines.0.origin_country"),
    ({"quantity": "-3"}, "lines.0.quantity"),
    ({"quantity": "0"}, "lines.0.quantity"),
    ({"value": "-1"}, "lines.0.value"),
    ({"description": ""}, "lines.0.description"),
    ({"line_no": 1000}, "lines.0.line_no"),
])
def test_bad_line_fields_are_named(overrides, loc):
    checked = check_declaration(declaration([line(**overrides)]))
    assert checked.header is not None
    assert [p.loc for p in checked.lines[0].problems] == [loc]


def test_bad_header_and_duplicate_line_numbers():
    checked = check_declaration(declaration([line(1), line(1), line(2)], port_code="nowhere",
                                            number="12 34", origin_country="Atlantis"))
    assert checked.header is None
    assert {p.loc for p in checked.header_problems} == {"port_code", "number", "origin_country"}
    assert checked.lines[1].values is None
    assert checked.lines[1].problems[0].loc == "lines.1.line_no"
    assert checked.lines[0].values is not None and checked.lines[2].values is not None


def test_chinese_country_names_are_accepted():
    checked = check_declaration(declaration([line(origin_country="越南")], origin_country="越南"))
    assert checked.header["origin_country"] == "VN"
    assert checked.lines[0].values["origin_country"] == "VN"


def test_single_declaration_refused_as_a_whole(db, settings):
    world = build(db, settings)
    with pytest.raises(ValidationFailed) as caught:
        declarations.screen_declaration(db, world.actor(), declaration(
            [line(1), line(2, hs_code="0000000000", quantity="-1")]))
    assert _locs(caught.value) == {"lines.1.hs_code", "lines.1.quantity"}
    assert caught.value.fields[0].translated("zh-CN") != caught.value.fields[0].message or True
    assert db.execute(select(Declaration)).first() is None


def test_matching_line_red_with_rule_reason_and_certified_safe_line_green(db, settings):
    world = build(db, settings)
    stored = declarations.screen_declaration(db, world.actor(), declaration(
        [line(1), safe_line(2)]))
    lines = declarations.lines_of(db, stored.id)
    assert [ln.lane.value for ln in lines] == ["red", "green"]
    assert stored.lane.value == "red" and stored.credit_grade.value == "certified"
    rule_reason = next(r for r in lines[0].reasons if r["kind"] == "rule")
    assert rule_reason["params"]["number"] == world.rule.number
    assert lines[0].rule_ids == [world.rule.id]
    text = reason_text(rule_reason, "zh-CN")
    assert world.rule.number in text and "布控" in text
    assert "Control rule" in reason_text(rule_reason, "en")
    assert lines[1].rule_ids == []
    assert all(reason_text(r, "zh-CN") for r in lines[1].reasons)
    ledger = db.execute(select(PortLaneLedger)).scalar_one()
    assert ledger.seen == 2 and ledger.red == 1 and ledger.green == 1
    assert stored.ledger["seen"] == 0
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "declaration.screen")
                       ).scalar_one()
    assert entry.after["lanes"]["red"] == 1


def test_duplicate_number_conflicts(db, settings):
    world = build(db, settings)
    data = declaration()
    declarations.screen_declaration(db, world.actor(), data)
    with pytest.raises(Conflict):
        declarations.screen_declaration(db, world.actor(), {**data})


def test_same_seed_same_decisions_and_replay_agrees(db, settings):
    world = build(db, settings)
    many = [safe_line(n, hs_code=hs, origin_country=c)
            for n, (hs, c) in enumerate([("8516500000", "JP"), ("6403990000", "VN"),
                                         ("0306171900", "IN")] * 10, start=1)]
    first = declarations.screen_declaration(db, world.actor(), declaration(
        many, trader_code="91440101MA5CXX1234", seed=424242))
    second = declarations.screen_declaration(db, world.actor(), declaration(
        many, trader_code="91440101MA5CXX1234", seed=424242))
    a = declarations.lines_of(db, first.id)
    b = declarations.lines_of(db, second.id)
    assert [ln.draw for ln in a] == [ln.draw for ln in b]
    report = declarations.replay(db, world.actor(), second.id)
    assert report["agrees"], report
    assert len(report["lines"]) == 30
    assert declarations.replay(db, world.actor(), first.id)["agrees"]


def test_seed_derives_from_number(db, settings):
    world = build(db, settings)
    data = declaration()
    del data["seed"]
    stored = declarations.screen_declaration(db, world.actor(), data)
    assert stored.seed == declarations.seed_for(data["number"])
    assert declarations.seed_for("223300000000000001") == declarations.seed_for(
        "223300000000000001")
    assert declarations.seed_for("A") != declarations.seed_for("B")


def test_out_of_scope_declaration_is_not_found(db, settings):
    from riskgate.core.errors import NotFound

    world = build(db, settings)
    stored = declarations.screen_declaration(db, world.actor(), declaration())
    with pytest.raises(NotFound):
        declarations.get_declaration(db, world.actor(world.other_officer), stored.id)
    assert declarations.get_declaration(db, world.w.actor(world.w.officer), stored.id)


def test_new_rule_is_seen_at_once(db, settings):
    from tests.border.rules_world import make_rule

    world = build(db, settings)
    first = declarations.screen_declaration(db, world.actor(), declaration(
        [safe_line(1, hs_code="6403990000", origin_country="VN")]))
    assert declarations.lines_of(db, first.id)[0].rule_ids == []
    rule = make_rule(world.w, title="鞋类", hs_prefixes=["6403"], countries=["VN"],
                     action="documentary_check")
    again = declarations.screen_declaration(db, world.actor(), declaration(
        [safe_line(1, hs_code="6403990000", origin_country="VN")]))
    assert declarations.lines_of(db, again.id)[0].rule_ids == [rule.id]
    assert declarations.lines_of(db, again.id)[0].lane.value in ("yellow", "red")
