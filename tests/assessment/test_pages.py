"""Console pages: the form posts, the live preview partial, rows added with htmx, workflow."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.assessment.models import RiskAssessment
from riskgate.assessment.pages import format_probability, scenarios_from_form
from tests.factories import sign_in


def _form(title="电暖器漏电", **extra):  # type: ignore[no-untyped-def]
    return {"title": title, "urgency": "immediate", "impact_scope": "nationwide",
            "scenarios-0-hazard": "漏电", "scenarios-0-injury": "触电", "scenarios-0-severity": "4",
            "scenarios-0-user_group": "adults",
            "scenarios-0-steps-0-description": "绝缘失效",
            "scenarios-0-steps-0-probability": "1/100",
            "scenarios-0-steps-1-description": "触碰带电部件",
            "scenarios-0-steps-1-probability": "0.1", **extra}


def test_scenarios_from_form_skips_blank_rows():
    fields = _form(**{"scenarios-0-steps-2-description": "", "scenarios-0-steps-2-probability": "",
                      "scenarios-1-severity": "3", "scenarios-1-user_group": "adults"})
    (scenario,) = scenarios_from_form(fields)
    assert scenario["severity"] == 4 and len(scenario["steps"]) == 2


def test_format_probability():
    assert format_probability(0.002) == "1/500"
    assert format_probability(1e-6) == "1/1 000 000"
    assert format_probability(0.5) == "0.5"
    assert format_probability(0.0003) == "0.0003" or format_probability(0.0003) == "3e-04"


def test_preview_create_edit_and_conclude(client, db, aw):  # type: ignore[no-untyped-def]
    csrf = sign_in(client, aw.officer_a.username)
    headers = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    preview = client.post("/console/assessments/preview", data=_form(), headers=headers)
    assert preview.status_code == 200 and 'data-level="serious"' in preview.text
    assert 'id="current-cell"' in preview.text
    bad = client.post("/console/assessments/preview",
                      data=_form(**{"scenarios-0-steps-1-probability": "2"}), headers=headers)
    assert "大于0" in bad.text and "data-level" not in bad.text
    row = client.get("/console/assessments/scenario-row?index=1", headers=headers)
    assert 'name="scenarios-1-severity"' in row.text and "index=2" in row.text
    step = client.get("/console/assessments/step-row?scenario=0&step=2", headers=headers)
    assert 'name="scenarios-0-steps-2-probability"' in step.text and "step=3" in step.text
    assert client.get("/console/assessments/new").status_code == 200
    created = client.post("/console/assessments", data={**_form(), "csrf_token": csrf},
                          follow_redirects=False)
    assert created.status_code == 303, created.text
    assessment = db.execute(select(RiskAssessment)).scalar_one()
    assert assessment.risk_level == "serious"
    page = client.get(created.headers["location"])
    assert "RA-" in page.text and 'data-level="serious"' in page.text
    invalid = client.post(f"/console/assessments/{assessment.id}",
                          data={**_form(**{"scenarios-0-severity": "7"}), "csrf_token": csrf})
    assert invalid.status_code == 422
    saved = client.post(f"/console/assessments/{assessment.id}", follow_redirects=False,
                        data={**_form(**{"scenarios-0-severity": "1"}), "csrf_token": csrf})
    assert saved.status_code == 303
    db.rollback()  # end the test session's read snapshot
    assert db.get(RiskAssessment, assessment.id).risk_level == "low"
    done = client.post(f"/console/assessments/{assessment.id}/transition", follow_redirects=True,
                       data={"status": "concluded", "conclusion": "unsafe",
                             "rationale": "漏电", "csrf_token": csrf})
    assert done.status_code == 200 and "RW-" in done.text
    warnings_page = client.get("/console/warnings")
    assert "RW-" in warnings_page.text
    assert client.get("/console/assessments").status_code == 200


def test_other_organisation_gets_404(client, db, aw):  # type: ignore[no-untyped-def]
    from tests.assessment.conftest import open_draft

    draft = open_draft(db, aw)
    db.commit()
    sign_in(client, aw.officer_b.username)
    assert client.get(f"/console/assessments/{draft.id}").status_code == 404
