"""The expert's review page says what the matrix found in words (issue 13: it showed
`0.0025000000000000005`, `serious`, `physical`), and the panel form's field is 领域."""

from __future__ import annotations

import re

from riskgate.assessment import service as assessments
from riskgate.experts import service
from tests.factories import sign_in

# Two steps of 1/20 each: 0.05 × 0.05 = 0.0025000000000000005 in floating point.
SCENARIO = {"hazard": "小零件脱落", "injury": "窒息", "severity": 4, "user_group": "adults",
            "steps": [{"description": "零件脱落", "probability": "0.05"},
                      {"description": "儿童放入口中", "probability": "0.05"}]}


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_review_page_shows_labels_and_a_readable_probability(client, committee):  # type: ignore[no-untyped-def]
    c = committee
    assessment = c.assessment(submit=False)
    assessments.update_assessment(c.db, c.secretary, assessment.id, {"scenarios": [SCENARIO]})
    assessments.submit_to_committee(c.db, c.secretary, assessment.id)
    review = service.refer(c.db, c.secretary, assessment_id=assessment.id, panel_id=c.panel.id,
                           expert_ids=[c.experts[0].id, c.experts[1].id])
    assert assessment.probability is not None and repr(assessment.probability) != "0.0025"
    c.db.commit()
    sign_in(client, c.experts[0].username)
    page = client.get(f"/console/experts/workspace/{review.id}?lang=zh-CN")
    assert page.status_code == 200
    text = _text(page.text)
    severity = re.search(r'id="review-severity">(.*?)</dd>', page.text, re.S)
    probability = re.search(r'id="review-probability">(.*?)</dd>', page.text, re.S)
    hazard = re.search(r'id="review-hazard">(.*?)</dd>', page.text, re.S)
    assert severity and probability and hazard
    assert severity[1] == "4 · 极严重或致命"
    assert probability[1] == "1/400"
    assert hazard[1] not in ("", "physical") and "physical" not in text
    assert "0.0025000000000000005" not in text
    assert not re.search(r"\b(serious|high|medium|low)\b", text), text


def test_panel_form_field_is_named_domain(client, committee):  # type: ignore[no-untyped-def]
    c = committee
    c.db.commit()
    sign_in(client, c.officer.username)
    overview = client.get("/console/experts?lang=zh-CN")
    assert overview.status_code == 200
    label = re.search(r'<label for="field">(.*?)</label>', overview.text, re.S)
    assert label is not None and label[1].startswith("领域"), label
    assert "字段" not in _text(overview.text)
    panel = client.get(f"/console/experts/panels/{c.panel.id}?lang=zh-CN")
    assert panel.status_code == 200 and "<dt>领域</dt>" in panel.text
