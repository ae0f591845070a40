"""The public release check (pure): internal references, panel votes, expert names, non-Chinese
text in a 公告, a missing issuing authority or document number."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from riskgate.warnings.publication.release_check import PublicText, blocking, check

CLEAN = {"title": "儿童玩具邻苯二甲酸酯超标", "summary": "抽检发现塑料玩具邻苯二甲酸酯超标。",
         "hazard": "化学危害。", "consumer_instructions": "停止使用。",
         "enterprise_instructions": "下架召回。"}


def _text(warning_type: str = "announcement", **texts: str) -> PublicText:
    return PublicText(warning_type=warning_type, texts={**CLEAN, **texts},
                      issuing_authority="海关总署", document_number="RW-2026-0013",
                      expert_names=("吴专家", "wu_expert"))


def _kinds(text: PublicText) -> list[str]:
    return [f.kind for f in check(text)]


def test_a_clean_announcement_has_no_finding():
    assert check(_text()) == []


def test_each_internal_reference_is_found_in_its_field():
    found = check(_text(summary="依据 RR-2026-000063 和投诉 TS-2026-000123。",
                        hazard="专家组结论(majority): unsafe 2 - 吴专家"))
    by_kind = {(f.kind, f.field) for f in found}
    assert ("record_number", "summary") in by_kind
    assert ("complaint_number", "summary") in by_kind
    assert ("expert_name", "hazard") in by_kind
    assert ("panel_vote", "hazard") in by_kind
    assert blocking(found)
    record = next(f for f in found if f.kind == "record_number")
    assert record.params["found"] == "RR-2026-000063"


def test_non_chinese_text_only_matters_in_an_announcement():
    assert "non_chinese" in _kinds(_text(summary="Phthalates above the limit."))
    assert "non_chinese" not in _kinds(_text("bulletin", summary="Phthalates above the limit."))
    assert "non_chinese" not in _kinds(_text(summary="型号 XT-01 的玩具"))  # short codes pass


def test_missing_authority_and_document_number():
    text = PublicText(warning_type="notice", texts=CLEAN, issuing_authority=" ",
                      document_number=None)
    assert _kinds(text) == ["no_authority", "no_document_number"]
    assert not blocking(check(text))


@given(st.text(alphabet="的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会"
               "自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用"
               "主行方又如前所本见经头面公同三已老从动两长，。、", max_size=200))
def test_chinese_prose_never_raises_a_finding(prose: str):
    assert check(_text(summary=prose)) == []


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=999999))
def test_any_record_number_is_found(year: int, serial: int):
    number = f"RR-{year}-{serial:06d}"
    found = check(_text(hazard=f"见{number}号记录"))
    assert [f.params["found"] for f in found if f.kind == "record_number"] == [number]
