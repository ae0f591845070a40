"""A control rule derived from a warning targets what the warning names (issue 13): brand, model
and batch become rule criteria matched against each declaration line, so the other lines of the
same HS code and country stay out; a product named by HS code alone widens the rule; the reason
names the fields that matched."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.border.declarations import service as declarations
from riskgate.border.declarations.reasons import reason_text
from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.screening.match import compile_rules, naive_match
from riskgate.border.screening.types import LineInput, RuleSpec
from tests.border.decl_world import build, declaration, line
from tests.warnings.helpers import make_published_warning

TOY = {"name": "塑料洋娃娃", "hs_code": "950300", "category": "玩具", "brand": "星童",
       "model": "XT-01", "batch": "20261001"}


def _rule_of(db, warning_id: int) -> ControlRule:  # type: ignore[no-untyped-def]
    return db.execute(select(ControlRule).where(ControlRule.warning_id == warning_id)
                      ).scalar_one()


def _lines(world, lines):  # type: ignore[no-untyped-def]
    declarations.invalidate_caches()
    stored = declarations.screen_declaration(world.db, world.actor(), declaration(
        lines, trader_code="91440101MA5CXX1234"))
    return declarations.lines_of(world.db, stored.id)


def test_rule_targets_the_named_brand_model_and_batch(db, settings):
    world = build(db, settings)
    rules.retire(db, world.actor(world.w.officer), world.rule, "本测试不需要")
    warning = make_published_warning(world.w, level="I", origin_countries=["VN"],
                                     products=[TOY], enterprises=[])
    rule = _rule_of(db, warning.id)
    assert (rule.hs_prefixes, rule.countries) == (["950300"], ["VN"])
    assert (rule.brands, rule.models, rule.batches) == (["星童"], ["XT-01"], ["20261001"])
    named, other_brand, other_batch, spaced = _lines(world, [
        line(1, brand="星童", model="XT-01", batch="20261001"),
        line(2, brand="乐乐", model="XT-01", batch="20261001"),
        line(3, brand="星童", model="XT-01", batch="20260901"),
        line(4, brand=" 星童 ", model="xt-01", batch="2026 1001")])
    assert rule.id in named.rule_ids and named.lane.value == "red"
    assert rule.id not in other_brand.rule_ids and rule.id not in other_batch.rule_ids
    assert rule.id in spaced.rule_ids  # case and spaces do not matter
    [reason] = [r for r in named.reasons if r["params"].get("rule_id") == rule.id]
    text = reason_text(reason, "zh-CN")
    assert rule.number in text
    for word in ("HS 编码", "原产国", "品牌", "型号", "批次"):
        assert word in text, text
    assert "brand, model, batch" in reason_text(reason, "en")


def test_product_named_by_hs_code_alone_widens_the_rule(db, settings):
    world = build(db, settings)
    rules.retire(db, world.actor(world.w.officer), world.rule, "本测试不需要")
    warning = make_published_warning(
        world.w, level="I", origin_countries=["VN"], enterprises=[],
        products=[TOY, {"name": "各类塑料玩具", "hs_code": "950300"}])
    rule = _rule_of(db, warning.id)
    assert (rule.brands, rule.models, rule.batches) == ([], [], [])
    [any_brand] = _lines(world, [line(1, brand="乐乐", batch="X")])
    assert rule.id in any_brand.rule_ids


def test_index_and_reference_agree_on_product_fields():
    spec = RuleSpec(id=1, action="physical_inspection", hs_prefixes=("9503",),
                    brands=("Star Kid",), batches=("B-1", "B-2"))
    only_product = RuleSpec(id=2, action="documentary_check", models=("XT-01",))
    compiled = compile_rules([spec, only_product])

    def at(**values):  # type: ignore[no-untyped-def]
        base = {"line_no": 1, "hs_code": "9503008900", "description": "玩具",
                "trader_code": "X", "port_code": "p", "direction": "import",
                "credit_grade": "ordinary", "seed": 1}
        return LineInput(**{**base, **values})

    cases = [at(brand="STAR KID", batch="b-2", model="xt-01"), at(brand="Star Kid"),
             at(brand="Other", batch="B-1"), at(model="xt -01"), at()]
    expected = [[1, 2], [], [], [2], []]
    assert [compiled.match(c) for c in cases] == expected
    assert [naive_match([spec, only_product], c) for c in cases] == expected
    assert compiled.match_many(cases) == expected
    assert spec.matched_fields() == ("hs_code", "brand", "batch")
