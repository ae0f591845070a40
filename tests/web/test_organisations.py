"""Console pages for organisations: tree, detail, create and edit."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.permissions import Role
from riskgate.identity.demo import make_uscc
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation
from tests.factories import make_org, make_user
from tests.web.conftest import form_sign_in, sign_in_english


def _create_form(csrf: str, parent_id: int, **changes: str) -> dict[str, str]:
    return {"csrf_token": csrf, "code": "FUTIAN", "name_zh": "福田海关",
            "name_en": "Futian Customs", "org_type": "subordinate_customs", "level": "county",
            "parent_id": str(parent_id), **changes}


def test_tree_lists_the_scope_in_tree_order(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    html = page.get("/console/organisations").text
    assert "海关总署测试" in html and "深圳海关测试" in html
    assert "其他市场监管局" not in html  # another tree: outside the scope
    assert html.index("海关总署测试") < html.index("深圳海关测试")
    assert 'class="indent-1"' in html  # the district sits one level below the head office


def test_search_and_type_filter(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    html = page.get("/console/organisations", params={"q": "深圳"}).text
    assert "深圳海关测试" in html and "海关总署测试" not in html
    html = page.get("/console/organisations", params={"org_type": "customs_head_office"}).text
    assert "海关总署测试" in html and "深圳海关测试" not in html
    html = page.get("/console/organisations", params={"q": "nothing-like-this"}).text
    assert "没有匹配的机构。" in html


def test_search_as_you_type_answers_htmx_with_the_results(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    response = page.get("/console/organisations", params={"q": "SZ"},
                        headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="results"' in response.text and "深圳海关测试" in response.text


def test_pagination_links_to_the_next_page(page, world, db) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        make_org(db, parent=world["district"], name_zh=f"分支{n:02d}", code=f"BR{n:02d}")
    db.commit()
    form_sign_in(page, "sysadmin")
    first = page.get("/console/organisations").text
    assert 'rel="next"' in first
    start = first.index('href="', first.index('rel="next"') - 200)
    link = first[first.index('href="/console/organisations?', start) + 6:]
    link = link[:link.index('"')].replace("&amp;", "&")
    second = page.get(link).text
    assert "第一页" in second
    names_first = {f"分支{n:02d}" for n in range(30) if f"分支{n:02d}" in first}
    names_second = {f"分支{n:02d}" for n in range(30) if f"分支{n:02d}" in second}
    assert names_first and names_second and not names_first & names_second
    assert len(names_first | names_second) == 30


def test_detail_of_an_organisation(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    html = page.get(f"/console/organisations/{world['head'].id}").text
    assert "海关总署测试" in html and "深圳海关测试" in html  # its sub-organisation
    assert f'href="/console/organisations/{world["head"].id}/edit"' in html
    assert "audit?object_type=organisation" not in html  # no AUDIT_READ, no audit link


def test_auditor_gets_a_link_to_the_audit_history(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "auditor")
    html = page.get(f"/console/organisations/{world['district'].id}").text
    assert f'/console/audit?object_type=organisation&amp;object_id={world["district"].id}' in html
    assert "/edit" not in html  # no ORG_MANAGE


def test_an_organisation_of_another_tree_is_not_found(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    for url in (f"/console/organisations/{world['other'].id}",
                f"/console/organisations/{world['other'].id}/edit"):
        response = page.get(url)
        assert response.status_code == 404
        assert "未找到该机构。" in response.text


def test_wrong_role_is_forbidden(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")  # a risk officer reads organisations, manages none
    assert page.get("/console/organisations").status_code == 200
    assert page.get("/console/organisations/new").status_code == 403
    response = page.post("/console/organisations", data=_create_form(csrf, world["district"].id))
    assert response.status_code == 403
    assert "无权访问" in response.text


def test_enterprise_user_cannot_see_organisations(page, world, db, settings) -> None:  # type: ignore[no-untyped-def]
    enterprise = make_org(db, org_type=OrgType.ENTERPRISE, uscc=make_uscc("440300", "12345678"))
    make_user(db, settings, enterprise, Role.ENTERPRISE_USER, username="trader")
    db.commit()
    form_sign_in(page, "trader")
    assert page.get("/console/organisations").status_code == 403
    assert 'href="/console/organisations"' not in page.get("/console").text


def test_parent_choices_are_limited_to_the_scope(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    html = page.get("/console/organisations/new").text
    assert f'<option value="{world["district"].id}"' in html
    assert f'<option value="{world["head"].id}" selected' in html  # the actor's own by default
    assert "其他市场监管局" not in html


def test_create_an_organisation(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    response = page.post("/console/organisations", data=_create_form(
        csrf, world["district"].id, region_code="440300"), follow_redirects=False)
    assert response.status_code == 303
    created = db.execute(select(Organisation).where(Organisation.code == "FUTIAN")).scalar_one()
    assert response.headers["location"] == f"/console/organisations/{created.id}"
    assert created.path == f"{world['district'].path}{created.id}/"
    page_html = page.get(response.headers["location"]).text
    assert "机构“福田海关”已创建。" in page_html  # the flash message, once
    assert "深圳市" in page_html  # the region, named from the catalogue
    assert "已创建" not in page.get(response.headers["location"]).text
    entry = db.execute(select(AuditEntry).where(
        AuditEntry.action == "organisation.created", AuditEntry.object_id == str(created.id))
    ).scalar_one()
    assert entry.actor_name == "sysadmin"


def test_required_fields_are_reported_in_chinese(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    response = page.post("/console/organisations", data=_create_form(
        csrf, world["district"].id, name_zh="", code=""))
    assert response.status_code == 422
    assert "部分字段有误，请查看字段错误。" in response.text
    assert response.text.count("此项为必填。") >= 2
    assert 'aria-invalid="true"' in response.text
    assert 'value="Futian Customs"' in response.text  # what was typed is kept


def test_domestic_enterprise_needs_a_uscc(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    data = _create_form(csrf, world["district"].id, org_type="enterprise", level="none",
                        code="ACME")
    response = page.post("/console/organisations", data=data)
    assert response.status_code == 422
    assert "境内企业须填写统一社会信用代码。" in response.text
    csrf = sign_in_english(page_en, "sysadmin")
    response = page_en.post("/console/organisations", data={**data, "csrf_token": csrf})
    assert response.status_code == 422
    assert "A domestic enterprise needs its unified social credit code." in response.text


def test_invalid_uscc_and_foreign_enterprise_rules(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    base = _create_form(csrf, world["district"].id, level="none", code="ACME")
    response = page.post("/console/organisations", data={**base, "org_type": "enterprise",
                                                         "uscc": "91350100M000100Y44"})
    assert response.status_code == 422
    assert "统一社会信用代码无效" in response.text
    response = page.post("/console/organisations", data={
        **base, "org_type": "foreign_enterprise", "foreign_country": "DE", "name_en": ""})
    assert response.status_code == 422
    assert "境外企业须填写英文名称、所在国家（地区）和注册号。" in response.text
    response = page.post("/console/organisations", data={
        **base, "org_type": "foreign_enterprise", "foreign_country": "DE",
        "foreign_registration_number": "HRB 12345", "name_en": "Spielwaren GmbH"},
        follow_redirects=False)
    assert response.status_code == 303


def test_duplicate_code_is_a_conflict_on_the_code_field(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    response = page.post("/console/organisations", data=_create_form(
        csrf, world["district"].id, code="SZ"))
    assert response.status_code == 422
    assert "已存在该代码的机构。" in response.text
    assert 'id="code-error"' in response.text  # shown on the field it is about


def test_parent_outside_the_scope_is_not_found(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    response = page.post("/console/organisations", data=_create_form(csrf, world["other"].id))
    assert response.status_code == 404
    assert "未找到该上级机构。" in response.text


def test_missing_csrf_token_is_refused(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "sysadmin")
    response = page.post("/console/organisations", data=_create_form("forged", world["head"].id))
    assert response.status_code == 403
    assert "表单已过期或并非来自本站" in response.text


def test_edit_with_a_reason(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    district = world["district"]
    form = page.get(f"/console/organisations/{district.id}/edit").text
    assert 'value="深圳海关测试"' in form and 'name="reason"' in form
    response = page.post(f"/console/organisations/{district.id}/edit", data={
        "csrf_token": csrf, "code": "SZ", "name_zh": "深圳海关", "name_en": "Shenzhen Customs",
        "level": "provincial", "parent_id": str(world["head"].id), "region_code": "440300",
        "active": "1", "reason": "更正名称"}, follow_redirects=False)
    assert response.status_code == 303
    assert "已保存对深圳海关的修改。" in page.get(response.headers["location"]).text
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "organisation.updated")
                       ).scalar_one()
    assert entry.reason == "更正名称"
    assert entry.before == {"name_zh": "深圳海关测试", "name_en": "Shenzhen test",
                            "region_code": None}


def test_edit_refuses_an_empty_name(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")
    data = {"csrf_token": csrf, "code": "SZ", "name_zh": "", "level": "provincial",
            "parent_id": str(world["head"].id), "active": "1"}
    response = page.post(f"/console/organisations/{world['district'].id}/edit", data=data)
    assert response.status_code == 422
    assert "此项为必填。" in response.text
    csrf = sign_in_english(page_en, "sysadmin")
    response = page_en.post(f"/console/organisations/{world['district'].id}/edit",
                            data={**data, "csrf_token": csrf})
    assert "This field is required." in response.text


def test_edit_cannot_move_under_its_own_subtree(page, world, db) -> None:  # type: ignore[no-untyped-def]
    child = make_org(db, parent=world["district"], name_zh="下级", code="CHILD")
    db.commit()
    csrf = form_sign_in(page, "sysadmin")
    form = page.get(f"/console/organisations/{world['district'].id}/edit").text
    assert f'<option value="{child.id}"' not in form  # not offered
    response = page.post(f"/console/organisations/{world['district'].id}/edit", data={
        "csrf_token": csrf, "code": "SZ", "name_zh": "深圳海关测试", "level": "provincial",
        "parent_id": str(child.id), "active": "1"})
    assert response.status_code == 422
    assert "机构不能移到自身或其下级机构之下。" in response.text
