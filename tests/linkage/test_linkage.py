"""Near-duplicate clusters across sources and languages, confirm / split, scope, recurrence."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.linkage import service
from riskgate.linkage.enums import ClusterStatus, KeyKind, MemberState
from riskgate.linkage.models import RecordClusterMember, RecurrenceFlag
from riskgate.records.models import RiskRecord
from tests.factories import auth_headers
from tests.linkage.conftest import chinese_complaint, english_notice, push


def _cluster_of(db, record_id):  # type: ignore[no-untyped-def]
    member = db.execute(
        select(RecordClusterMember).where(RecordClusterMember.record_id == record_id)
    ).scalar_one_or_none()
    return member


def test_english_notice_and_chinese_complaint_are_clustered_with_reasons(db, world, client):
    notice = push(db, world.hq, **english_notice())
    complaint = push(db, world.hq, **chinese_complaint())
    first, second = _cluster_of(db, notice), _cluster_of(db, complaint)
    assert first is not None and second is not None
    assert first.cluster_id == second.cluster_id
    assert second.score >= 0.8
    # The Chinese complaint had no hazard field: the classifier filled it from "起火".
    record = db.get(RiskRecord, complaint)
    assert record.hazard_type == "fire" and record.classification_method == "terms"
    headers = auth_headers(world.hq.token)
    response = client.get(f"/api/v1/records/{complaint}/cluster", headers=headers)
    assert response.status_code == 200, response.text
    cluster = response.json()["cluster"]
    assert cluster["status"] == "suggested"
    assert {m["record_id"] for m in cluster["members"]} == {notice, complaint}
    reasons = [r["text"] for m in cluster["members"] for r in m["reasons"]]
    assert any(text.startswith("same batch") for text in reasons)
    assert any(text.startswith("same model") for text in reasons)
    assert "same hazard" in reasons
    assert "within 12 days" in reasons
    chinese = client.get(f"/api/v1/records/{complaint}/cluster",
                         headers=auth_headers(world.hq.token, "zh-CN"))  # fmt: skip
    assert any("批次" in r["text"] for m in chinese.json()["cluster"]["members"]
               for r in m["reasons"])  # fmt: skip


def test_different_products_and_distant_dates_are_not_clustered(db, world):
    push(db, world.hq, **english_notice())
    other = push(db, world.hq, **chinese_complaint(model="NX-77", batch_number="Z9", brand="格力"))
    assert _cluster_of(db, other) is None
    late = push(db, world.hq, **chinese_complaint(occurred_on="2026-09-30"))
    assert _cluster_of(db, late) is None  # same keys, but 212 days later


def test_a_third_record_joins_the_cluster_and_gtin_links_alone(db, world):
    one = push(db, world.hq, **english_notice(barcode="6901234567892"))
    two = push(db, world.hq, **chinese_complaint())
    three = push(db, world.hq, title="暖风机 过热", product_name="暖风机", barcode="06901234567892",
                 occurred_on="2026-03-20", hazard_type="fire")  # fmt: skip
    clusters = {_cluster_of(db, r).cluster_id for r in (one, two, three)}
    assert len(clusters) == 1


def test_confirm_and_split_are_audited_and_follow_the_transitions(db, world, client):
    notice = push(db, world.hq, **english_notice())
    complaint = push(db, world.hq, **chinese_complaint())
    cluster_id = _cluster_of(db, notice).cluster_id
    headers = auth_headers(world.hq.token)
    queue = client.get("/api/v1/clusters", headers=headers).json()
    assert [c["id"] for c in queue["items"]] == [cluster_id]
    confirmed = client.post(f"/api/v1/clusters/{cluster_id}/confirm",
                            json={"reason": "same heater"}, headers=headers)  # fmt: skip
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert client.get("/api/v1/clusters", headers=headers).json()["items"] == []
    again = client.post(f"/api/v1/clusters/{cluster_id}/split",
                        json={"record_id": complaint, "reason": "another heater"}, headers=headers)
    assert again.status_code == 200, again.text
    db.rollback()
    db.expire_all()
    assert _cluster_of(db, complaint).state == MemberState.removed
    statuses = client.get(f"/api/v1/clusters/{cluster_id}", headers=headers)
    assert statuses.status_code == 404  # one member left: no longer a cluster anyone sees
    actions = [e.action for e in db.execute(
        select(AuditEntry).where(AuditEntry.object_type == "record_cluster")
        .order_by(AuditEntry.id)).scalars()]  # fmt: skip
    assert actions == ["cluster.confirm", "cluster.status", "cluster.split", "cluster.status"]
    split_twice = client.post(f"/api/v1/clusters/{cluster_id}/confirm", json={}, headers=headers)
    assert split_twice.status_code == 404
    missing = client.post(f"/api/v1/clusters/{cluster_id}/split", json={}, headers=headers)
    assert missing.status_code == 422


def test_split_without_a_record_dissolves_the_cluster(db, world):
    notice = push(db, world.hq, **english_notice())
    push(db, world.hq, **chinese_complaint())
    cluster_id = _cluster_of(db, notice).cluster_id
    service.split(db, world.hq.actor, cluster_id, None, "not the same")
    db.commit()
    cluster = db.get(service.RecordCluster, cluster_id)
    assert cluster.status == ClusterStatus.split


def test_cross_organisation_cluster_shows_only_what_is_in_scope(db, world, client):
    notice = push(db, world.b, **english_notice())  # B's foreign notice
    complaint = push(db, world.a, **chinese_complaint())  # A's complaint
    cluster_id = _cluster_of(db, notice).cluster_id
    assert _cluster_of(db, complaint).cluster_id == cluster_id
    # Head office sees both members.
    hq = client.get(f"/api/v1/records/{complaint}/cluster", headers=auth_headers(world.hq.token))
    assert len(hq.json()["cluster"]["members"]) == 2
    # A sees its complaint but nothing of B's notice: no cluster, no score, no id.
    for side in (world.a, world.reader_a):
        mine = client.get(f"/api/v1/records/{complaint}/cluster", headers=auth_headers(side.token))
        assert mine.status_code == 200 and mine.json()["cluster"] is None
        assert str(notice) not in mine.text
        assert client.get(f"/api/v1/clusters/{cluster_id}", headers=auth_headers(side.token)
                          ).status_code == 404  # fmt: skip
        listed = client.get("/api/v1/clusters", headers=auth_headers(side.token))
        assert listed.json()["items"] == []
    assert client.get(f"/api/v1/records/{notice}/cluster",
                      headers=auth_headers(world.a.token)).status_code == 404  # fmt: skip
    refused = client.post(f"/api/v1/clusters/{cluster_id}/confirm", json={},
                          headers=auth_headers(world.a.token))  # fmt: skip
    assert refused.status_code == 404
    reader = client.post(f"/api/v1/clusters/{cluster_id}/confirm", json={},
                         headers=auth_headers(world.reader_a.token))  # fmt: skip
    assert reader.status_code == 403


def test_recurrence_of_origin_and_hazard_is_flagged(db, world, client):
    ids = [
        push(db, world.hq, title=f"Pistachios lot {n}", product_name="Pistachios",
             origin_country="TR", hazard_type="mycotoxins", occurred_on=day)
        for n, day in enumerate(("2026-01-05", "2026-02-10", "2026-03-01"))
    ]  # fmt: skip
    flag = db.execute(select(RecurrenceFlag).where(
        RecurrenceFlag.kind == KeyKind.origin_hazard)).scalar_one()  # fmt: skip
    assert flag.raised and flag.count_in_window == 3 and flag.label == "TR · mycotoxins"
    assert (flag.first_record_id, flag.last_record_id) == (ids[0], ids[2])
    response = client.get(f"/api/v1/records/{ids[1]}/cluster", headers=auth_headers(world.hq.token))
    kinds = {f["kind"] for f in response.json()["recurrence"]}
    assert "origin_hazard" in kinds
    # An older record outside the window counts in the total only; a much later one moves it.
    push(db, world.hq, title="Pistachios old", product_name="Pistachios", origin_country="TR",
         hazard_type="mycotoxins", occurred_on="2025-06-01")  # fmt: skip
    push(db, world.hq, title="Pistachios new", product_name="Pistachios", origin_country="TR",
         hazard_type="mycotoxins", occurred_on="2026-08-01")  # fmt: skip
    db.rollback()
    db.expire_all()
    flag = db.get(RecurrenceFlag, flag.id)
    assert flag.total_count == 5 and flag.count_in_window == 1 and not flag.raised


def test_recurrence_of_the_same_operator_by_uscc(db, world):
    from riskgate.identity.demo import make_uscc

    uscc = make_uscc("310115", "31748252")
    for n in range(2):
        push(db, world.hq, title=f"出口退运 {n}", product_name="陶瓷餐具",
             enterprises=[{"role": "exporter", "uscc": uscc}], occurred_on=f"2026-04-0{n + 1}")
    flag = db.execute(select(RecurrenceFlag).where(
        RecurrenceFlag.kind == KeyKind.operator)).scalar_one()  # fmt: skip
    assert flag.raised and flag.count_in_window == 2 and flag.label == uscc


def test_console_queue_and_detail_pages(db, world, client):
    from tests.factories import sign_in

    notice = push(db, world.hq, **english_notice())
    push(db, world.hq, **chinese_complaint())
    cluster_id = _cluster_of(db, notice).cluster_id
    csrf = sign_in(client, world.hq.user.username)
    queue = client.get("/console/clusters")
    assert queue.status_code == 200 and f"/console/clusters/{cluster_id}" in queue.text
    detail = client.get(f"/console/clusters/{cluster_id}")
    assert "same batch" in detail.text or "相同批次" in detail.text
    done = client.post(f"/console/clusters/{cluster_id}/confirm",
                       data={"reason": "ok", "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    bad = client.post(f"/console/clusters/{cluster_id}/split",
                      data={"reason": "", "csrf_token": csrf})  # fmt: skip
    assert bad.status_code == 422


def test_record_page_shows_its_cluster(db, world, client):
    from tests.factories import sign_in

    notice = push(db, world.hq, **english_notice())
    complaint = push(db, world.hq, **chinese_complaint())
    sign_in(client, world.hq.user.username)
    page = client.get(f"/console/records/{complaint}")
    assert page.status_code == 200
    assert f'hx-get="/console/records/{complaint}/cluster"' in page.text
    fragment = client.get(f"/console/records/{complaint}/cluster")
    assert fragment.status_code == 200
    assert f"/console/records/{notice}" in fragment.text
    assert "same hazard" in fragment.text or "危害相同" in fragment.text
