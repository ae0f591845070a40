"""Records named by number in the assessment form (issue 13): `RR-2026-000063` is accepted as an
id is, resolved in the officer's scope; what cannot be found is refused beside the field, by
name, and nothing is dropped silently."""

from __future__ import annotations

import re

from sqlalchemy import select

from riskgate.assessment import service
from riskgate.assessment.models import RiskAssessment
from riskgate.records.models import RiskRecord
from riskgate.records.refs import normalise_number, resolve_record_refs, split_refs
from tests.assessment.test_pages import _form
from tests.factories import sign_in


def _numbers(db, ids):  # type: ignore[no-untyped-def]
    return [db.get(RiskRecord, i).record_number for i in ids]


def test_resolver_reads_numbers_and_ids_in_scope(db, aw):  # type: ignore[no-untyped-def]
    a1, a2 = _numbers(db, aw.records_a)
    (b1, _b2) = _numbers(db, aw.records_b)
    year, serial = a2.split("-")[1:]
    short = f"rr-{year}-{int(serial)}"
    assert normalise_number(short) == a2 and normalise_number("RW-2026-1") is None
    assert split_refs(f"{a1}，{a1} {short}；7") == [a1, short, "7"]
    refs = resolve_record_refs(db, aw.actor(aw.officer_a),
                               f"{a1}, {short} {aw.records_a[0]} {b1} RR-2099-000001 0 abc")
    assert refs.ids == aw.records_a
    # Another organisation's record is unknown here, as a 404 would be.
    assert refs.unknown == [b1, "RR-2099-000001", "0", "abc"]
    assert resolve_record_refs(db, aw.actor(aw.officer_b), b1).ids == aw.records_b[:1]


def test_form_accepts_record_numbers(client, db, aw):  # type: ignore[no-untyped-def]
    numbers = _numbers(db, aw.records_a)
    csrf = sign_in(client, aw.officer_a.username)
    created = client.post("/console/assessments", follow_redirects=False,
                          data={**_form(record_ids=" ".join(numbers)), "csrf_token": csrf})
    assert created.status_code == 303, created.text
    db.rollback()  # end the test session's read snapshot
    assessment = db.execute(select(RiskAssessment)).scalar_one()
    assert service.record_ids(db, assessment.id) == aw.records_a
    # The form shows the records by number, and saving it again keeps them.
    page = client.get(created.headers["location"])
    assert f'value="{numbers[0]}, {numbers[1]}"' in page.text
    saved = client.post(f"/console/assessments/{assessment.id}", follow_redirects=False,
                        data={**_form(record_ids=f"{numbers[1]}"), "csrf_token": csrf})
    assert saved.status_code == 303
    db.rollback()
    assert service.record_ids(db, assessment.id) == aw.records_a[1:]


def test_form_refuses_unknown_numbers_by_name(client, db, aw):  # type: ignore[no-untyped-def]
    mine = _numbers(db, aw.records_a)[0]
    theirs = _numbers(db, aw.records_b)[0]
    csrf = sign_in(client, aw.officer_a.username)
    refused = client.post("/console/assessments", data={
        **_form(record_ids=f"{mine}, RR-2026-999999, {theirs}"), "csrf_token": csrf})
    assert refused.status_code == 422
    error = re.search(r'id="record_ids-error">(.*?)</div>', refused.text, re.S)
    assert error is not None, refused.text
    assert "RR-2026-999999" in error[1] and theirs in error[1] and mine not in error[1]
    # Everything typed is kept.
    assert f"{mine}, RR-2026-999999, {theirs}" in refused.text
    db.rollback()
    assert db.execute(select(RiskAssessment)).first() is None
