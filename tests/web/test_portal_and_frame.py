"""The portal home, sign-in, error pages, static files, and rules every page follows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from riskgate.core.http import route_permission
from riskgate.core.permissions import Permission
from riskgate.web.templating import TEMPLATE_DIR
from tests.web.conftest import form_sign_in

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"""\sstyle\s*=|<style[\s>]""", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def assert_csp_clean(html: str) -> None:
    """What the Content-Security-Policy would block: inline scripts, styles, handlers, js: URLs."""
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not INLINE_HANDLER.search(html)
    assert "javascript:" not in html


def test_portal_home_in_chinese_by_default(page) -> None:  # type: ignore[no-untyped-def]
    response = page.get("/")
    assert response.status_code == 200
    assert response.headers["content-language"] == "zh-CN"
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert "进出口商品质量安全风险预警" in html
    for code in ("I", "II", "III", "IV"):
        assert f'class="badge level-{code}"' in html
    assert "I级（特别严重，红色）" in html
    # htmx must not inject styles (CSP), keep console pages in localStorage, or eval anything.
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1))
    assert config == {"includeIndicatorStyles": False, "historyCacheSize": 0, "allowEval": False,
                      "allowScriptTags": False}
    assert_csp_clean(html)
    # Portal pages of later issues are announced, not linked; the warnings list is linked.
    assert 'href="/warnings"' in html and 'href="/recalls"' in html
    for missing in ('href="/complaints"', 'action="/warnings"'):
        assert missing not in html
    assert 'href="/console/catalog"' in html
    assert "content-security-policy" in response.headers


def test_portal_home_in_english(page_en) -> None:  # type: ignore[no-untyped-def]
    html = page_en.get("/").text
    assert '<html lang="en">' in html
    assert "Import and export product quality-safety risk warnings" in html
    assert "Level I (extremely serious, red)" in html


def test_lang_query_switches_and_remembers(page) -> None:  # type: ignore[no-untyped-def]
    response = page.get("/?lang=en")
    assert "Import and export" in response.text
    assert response.cookies.get("rg_lang") == "en"
    assert "Import and export" in page.get("/").text
    # The switch link keeps the page and flips the language.
    assert 'href="/login?lang=zh-CN"' in page.get("/login").text


def test_login_failure_message_is_translated(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    response = page.post("/login", data={"username": "sysadmin", "password": "wrong-Password-1"})
    assert response.status_code == 200
    assert "用户名或密码错误。" in response.text
    response = page_en.post("/login", data={"username": "sysadmin", "password": "wrong-Password-1"})
    assert "The user name or password is wrong." in response.text


CONSOLE_PAGES = [
    "/console", "/console/organisations", "/console/organisations/new", "/console/organisations/1",
    "/console/organisations/1/edit", "/console/users", "/console/users/new", "/console/users/1",
    "/console/users/1/edit", "/console/users/1/roles", "/console/users/1/password",
    "/console/audit", "/console/audit/verify", "/console/outbox", "/console/outbox/1",
    "/console/account", "/console/account/password", "/console/account/tokens", "/console/inbox",
]


@pytest.mark.parametrize("url", CONSOLE_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.get(url + "?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={url}%3Fq%3Dx"


def test_anonymous_post_is_sent_to_sign_in(page) -> None:  # type: ignore[no-untyped-def]
    response = page.post("/console/organisations", data={"code": "X"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_sign_in_returns_to_the_page_asked_for(page, world) -> None:  # type: ignore[no-untyped-def]
    response = page.get("/console/users", follow_redirects=True)
    assert response.url.path == "/login"
    assert 'name="next" value="/console/users"' in response.text
    response = page.post("/login", data={"username": "secadmin", "password": "Riskgate-Test-2026!",
                                         "next": "/console/users"}, follow_redirects=False)
    assert response.headers["location"] == "/console/users"


def test_unknown_address_renders_a_404_page(page, page_en) -> None:  # type: ignore[no-untyped-def]
    response = page.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "未找到" in response.text and "该地址没有内容。" in response.text
    assert 'href="/login"' in response.text
    assert_csp_clean(response.text)
    assert "Not found" in page_en.get("/no/such/page").text


def test_api_errors_stay_json(page) -> None:  # type: ignore[no-untyped-def]
    response = page.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_forbidden_page_for_a_signed_in_user(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "officer")
    response = page.get("/console/audit")
    assert response.status_code == 403
    assert "无权访问" in response.text
    assert "audit.read" in response.text
    assert 'href="/console"' in response.text  # back to the console, not a javascript: link
    assert_csp_clean(response.text)


@pytest.mark.parametrize("path, kind", [
    ("/static/css/app.css", "text/css"), ("/static/js/app.js", "javascript"),
    ("/static/favicon.svg", "image/svg+xml"), ("/static/vendor/htmx/htmx.min.js", "javascript"),
])
def test_static_files(page, path: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    response = page.get(path)
    assert response.status_code == 200
    assert kind in response.headers["content-type"]


def test_app_js_sends_the_csrf_header_for_htmx(page) -> None:  # type: ignore[no-untyped-def]
    script = page.get("/static/js/app.js").text
    assert "htmx:configRequest" in script and "X-CSRF-Token" in script
    assert 'meta[name="csrf-token"]' in script


def test_stylesheet_has_the_classes_templates_use(page) -> None:  # type: ignore[no-untyped-def]
    css = page.get("/static/css/app.css").text
    for name in ("topbar", "sidenav", "console", "card", "narrow", "flash", "chip", "stat", "stats",
                 "tiles", "hero", "badge", "level-I", "level-II", "level-III", "level-IV", "button",
                 "secondary", "link", "form", "field-errors", "muted", "small", "visually-hidden",
                 "skip-link", "pending", "pagination", "table"):
        assert re.search(rf"\.{re.escape(name)}\b", css), name
    assert "PingFang SC" in css and "Microsoft YaHei" in css and "Noto Sans CJK SC" in css
    assert "nth-child(even)" in css and ":focus-visible" in css and "@media" in css


def test_templates_have_no_inline_script_or_style() -> None:
    for path in Path(TEMPLATE_DIR).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), path
        assert not INLINE_STYLE.search(text), path
        assert not INLINE_HANDLER.search(text), path
        assert "javascript:" not in text, path


_WHISTLEBLOWER = "/console/whistleblower-reports/{report_id}"
EXPECTED_PERMISSIONS = {
    ("GET", "/console/border/screening"): Permission.DECLARATION_READ,
    ("POST", "/console/border/screening/file"): Permission.DECLARATION_SUBMIT,
    ("GET", "/console/border/declarations/{declaration_id}"): Permission.DECLARATION_READ,
    ("POST", "/console/border/lines/{line_id}/inspection"): Permission.INSPECTION_RECORD,
    ("GET", "/console/border/batches/{batch_id}"): Permission.DECLARATION_READ,
    ("GET", "/console/border/rules"): Permission.CONTROL_RULE_READ,
    ("GET", "/console/border/rules/new"): Permission.CONTROL_RULE_MANAGE,
    ("POST", "/console/border/rules"): Permission.CONTROL_RULE_MANAGE,
    ("GET", "/console/border/rules/{rule_id}"): Permission.CONTROL_RULE_READ,
    ("POST", "/console/border/rules/{rule_id}"): Permission.CONTROL_RULE_MANAGE,
    ("POST", "/console/border/rules/{rule_id}/{step}"): Permission.CONTROL_RULE_MANAGE,
    ("GET", "/console/border/profiles"): Permission.CONTROL_RULE_READ,
    ("POST", "/console/border/profiles/{tab}"): Permission.RISK_PROFILE_MANAGE,
    ("GET", "/console/petitions"): Permission.PETITION_REVIEW,
    ("GET", "/console/petitions/{petition_id}"): Permission.PETITION_REVIEW,
    ("POST", "/console/petitions/{petition_id}/decide"): Permission.PETITION_REVIEW,
    ("GET", "/console/petitions/{petition_id}/evidence/{evidence_id}"): Permission.CONSOLE_VIEW,
    ("GET", "/console/my-petitions"): Permission.PETITION_FILE,
    ("POST", "/console/my-petitions"): Permission.PETITION_FILE,
    ("GET", "/console/my-petitions/{petition_id}"): Permission.PETITION_FILE,
    ("GET", "/console/recalls"): Permission.RECALL_READ,
    ("GET", "/console/recalls/new"): Permission.RECALL_MANAGE,
    ("POST", "/console/recalls/new"): Permission.RECALL_MANAGE,
    ("GET", "/console/recalls/{recall_id}"): Permission.RECALL_READ,
    ("POST", "/console/recalls/{recall_id}/start"): Permission.RECALL_MANAGE,
    ("POST", "/console/recalls/{recall_id}/complete"): Permission.RECALL_MANAGE,
    ("POST", "/console/recalls/{recall_id}/close"): Permission.RECALL_MANAGE,
    ("POST", "/console/recalls/{recall_id}/cancel"): Permission.RECALL_MANAGE,
    ("GET", "/console/my-recalls"): Permission.RECALL_REPORT,
    ("POST", "/console/my-recalls/{recall_id}/reports"): Permission.RECALL_REPORT,
    ("GET", "/console/response/cases"): Permission.RESPONSE_READ,
    ("POST", "/console/response/cases"): Permission.RESPONSE_MANAGE,
    ("GET", "/console/response/cases/{case_id}"): Permission.RESPONSE_READ,
    ("POST", "/console/response/cases/{case_id}/close"): Permission.RESPONSE_MANAGE,
    ("POST", "/console/response/cases/{case_id}/evaluate"): Permission.RESPONSE_MANAGE,
    ("GET", "/console/response/tasks"): Permission.RESPONSE_READ,
    ("GET", "/console/response/tasks/{task_id}"): Permission.RESPONSE_READ,
    ("POST", "/console/response/tasks/{task_id}/start"): Permission.RESPONSE_TASK_REPORT,
    ("POST", "/console/response/tasks/{task_id}/report"): Permission.RESPONSE_TASK_REPORT,
    ("POST", "/console/response/tasks/{task_id}/waive"): Permission.RESPONSE_MANAGE,
    ("POST", "/console/response/tasks/{task_id}/reopen"): Permission.RESPONSE_MANAGE,
    ("GET", "/console/response/tasks/{task_id}/evidence/{evidence_id}"):
        Permission.RESPONSE_READ,
    ("GET", "/console/response/overdue"): Permission.RESPONSE_SUPERVISE,
    ("GET", "/console/response/rules"): Permission.DISPOSAL_RULE_MANAGE,
    ("POST", "/console/response/rules"): Permission.DISPOSAL_RULE_MANAGE,
    ("POST", "/console/response/rules/{rule_id}/deactivate"): Permission.DISPOSAL_RULE_MANAGE,
    ("GET", "/console/analysis-reports"): Permission.ANALYSIS_REPORT_READ,
    ("POST", "/console/analysis-reports"): Permission.ANALYSIS_REPORT_GENERATE,
    ("GET", "/console/analysis-reports/{report_id}/download"): Permission.ANALYSIS_REPORT_READ,
    ("GET", "/console/signals"): Permission.SIGNAL_READ,
    ("GET", "/console/signals/{signal_id}"): Permission.SIGNAL_READ,
    ("POST", "/console/signals/run"): Permission.SIGNAL_TRIAGE,
    ("POST", "/console/signals/{signal_id}/transition"): Permission.SIGNAL_TRIAGE,
    ("POST", "/console/signals/{signal_id}/assign"): Permission.SIGNAL_TRIAGE,
    ("GET", "/console/organisations"): Permission.ORG_READ,
    ("GET", "/console/organisations/new"): Permission.ORG_MANAGE,
    ("POST", "/console/organisations"): Permission.ORG_MANAGE,
    ("GET", "/console/organisations/{organisation_id}"): Permission.ORG_READ,
    ("GET", "/console/organisations/{organisation_id}/edit"): Permission.ORG_MANAGE,
    ("POST", "/console/organisations/{organisation_id}/edit"): Permission.ORG_MANAGE,
    ("GET", "/console/users"): Permission.USER_READ,
    ("GET", "/console/users/new"): Permission.USER_MANAGE,
    ("POST", "/console/users"): Permission.USER_MANAGE,
    ("GET", "/console/users/{user_id}"): Permission.USER_READ,
    ("GET", "/console/users/{user_id}/edit"): Permission.USER_MANAGE,
    ("POST", "/console/users/{user_id}/edit"): Permission.USER_MANAGE,
    ("GET", "/console/users/{user_id}/roles"): Permission.ROLE_ASSIGN,
    ("POST", "/console/users/{user_id}/roles"): Permission.ROLE_ASSIGN,
    ("GET", "/console/users/{user_id}/password"): Permission.USER_MANAGE,
    ("POST", "/console/users/{user_id}/password"): Permission.USER_MANAGE,
    ("POST", "/console/users/{user_id}/unlock"): Permission.USER_MANAGE,
    ("GET", "/console/audit"): Permission.AUDIT_READ,
    ("GET", "/console/audit/verify"): Permission.AUDIT_READ,
    ("GET", "/console/outbox"): Permission.OUTBOX_READ,
    ("GET", "/console/outbox/{event_id}"): Permission.OUTBOX_READ,
    ("POST", "/console/outbox/{event_id}/replay"): Permission.OUTBOX_REPLAY,
    ("GET", "/console/account"): Permission.ACCOUNT_SELF,
    ("POST", "/console/account/language"): Permission.ACCOUNT_SELF,
    ("GET", "/console/account/password"): Permission.ACCOUNT_SELF,
    ("POST", "/console/account/password"): Permission.ACCOUNT_SELF,
    ("GET", "/console/account/tokens"): Permission.ACCOUNT_SELF,
    ("POST", "/console/account/tokens"): Permission.ACCOUNT_SELF,
    ("POST", "/console/account/tokens/{token_id}/revoke"): Permission.ACCOUNT_SELF,
    ("GET", "/console/inbox"): Permission.INBOX_READ,
    ("POST", "/console/inbox/{message_id}/read"): Permission.INBOX_READ,
    ("GET", "/console/catalog"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/hs"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/hs/{code}"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/countries"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/hazards"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/channels"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/warnings"): Permission.CATALOG_READ,
    ("GET", "/console/catalog/places"): Permission.CATALOG_READ,
    ("GET", "/console/records"): Permission.RECORD_READ,
    ("GET", "/console/records/{record_id}"): Permission.RECORD_READ,
    ("GET", "/console/assessments"): Permission.ASSESSMENT_READ,
    ("GET", "/console/assessments/new"): Permission.ASSESSMENT_WRITE,
    ("POST", "/console/assessments"): Permission.ASSESSMENT_WRITE,
    ("POST", "/console/assessments/preview"): Permission.ASSESSMENT_READ,
    ("GET", "/console/assessments/scenario-row"): Permission.ASSESSMENT_READ,
    ("GET", "/console/assessments/step-row"): Permission.ASSESSMENT_READ,
    ("GET", "/console/assessments/{assessment_id}"): Permission.ASSESSMENT_READ,
    ("POST", "/console/assessments/{assessment_id}"): Permission.ASSESSMENT_WRITE,
    ("POST", "/console/assessments/{assessment_id}/transition"): Permission.ASSESSMENT_WRITE,
    ("GET", "/console/exchange"): Permission.EXCHANGE_READ,
    ("GET", "/console/exchange/new"): Permission.EXCHANGE_MANAGE,
    ("POST", "/console/exchange/new"): Permission.EXCHANGE_MANAGE,
    ("GET", "/console/exchange/{agreement_id}"): Permission.EXCHANGE_READ,
    ("POST", "/console/exchange/{agreement_id}/accept"): Permission.EXCHANGE_MANAGE,
    ("POST", "/console/exchange/{agreement_id}/reject"): Permission.EXCHANGE_MANAGE,
    ("POST", "/console/exchange/{agreement_id}/revoke"): Permission.EXCHANGE_MANAGE,
    ("GET", "/console/records/{record_id}/share"): Permission.OBJECT_SHARE,
    ("POST", "/console/records/{record_id}/share"): Permission.OBJECT_SHARE,
    ("GET", "/console/warnings"): Permission.WARNING_READ,
    ("GET", "/console/warnings/{warning_id}"): Permission.WARNING_READ,
    ("GET", "/console/warnings/{warning_id}/attachments/{attachment_id}"): Permission.WARNING_READ,
    ("GET", "/console/warnings/new"): Permission.WARNING_DRAFT,
    ("POST", "/console/warnings"): Permission.WARNING_DRAFT,
    ("GET", "/console/warnings/product-row"): Permission.WARNING_DRAFT,
    ("GET", "/console/warnings/enterprise-row"): Permission.WARNING_DRAFT,
    ("GET", "/console/warnings/{warning_id}/edit"): Permission.WARNING_DRAFT,
    ("POST", "/console/warnings/{warning_id}/edit"): Permission.WARNING_DRAFT,
    ("POST", "/console/warnings/{warning_id}/comment-window"): Permission.WARNING_DRAFT,
    ("POST", "/console/warnings/{warning_id}/submit"): Permission.WARNING_DRAFT,
    ("POST", "/console/warnings/{warning_id}/discard"): Permission.WARNING_DRAFT,
    ("POST", "/console/warnings/{warning_id}/return"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/approve"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/publish"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/adjust"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/lift"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/withdraw"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/confirm-change"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/cancel-change"): Permission.WARNING_APPROVE,
    ("GET", "/console/warnings/{warning_id}/preview"): Permission.WARNING_APPROVE,
    ("POST", "/console/warnings/{warning_id}/comments"): Permission.WARNING_COMMENT,
    ("GET", "/console/warnings/authority"): Permission.WARNING_AUTHORITY_MANAGE,
    ("POST", "/console/warnings/authority"): Permission.WARNING_AUTHORITY_MANAGE,
    ("GET", "/console/warnings/performance"): Permission.WARNING_TRACKING_READ,
    ("GET", "/console/warnings/{warning_id}/tracking"): Permission.WARNING_TRACKING_READ,
    ("GET", "/console/warnings/subscriptions"): Permission.WARNING_SUBSCRIBE,
    ("POST", "/console/warnings/subscriptions"): Permission.WARNING_SUBSCRIBE,
    ("POST", "/console/warnings/subscriptions/{subscription_id}/deactivate"):
        Permission.WARNING_SUBSCRIBE,
    ("GET", "/console/warnings/received"): Permission.WARNING_ACKNOWLEDGE,
    ("POST", "/console/warnings/received/{delivery_id}/acknowledge"):
        Permission.WARNING_ACKNOWLEDGE,
    ("GET", "/console/warnings/{warning_id}/deliveries"): Permission.WARNING_TRACKING_READ,
    ("GET", "/console/channels"): Permission.CHANNEL_READ,
    ("GET", "/console/channels/feeds"): Permission.CHANNEL_READ,
    ("POST", "/console/channels/feeds"): Permission.CHANNEL_MANAGE,
    ("GET", "/console/channels/feeds/{feed_id}"): Permission.CHANNEL_READ,
    ("POST", "/console/channels/feeds/{feed_id}"): Permission.CHANNEL_MANAGE,
    ("POST", "/console/channels/feeds/{feed_id}/poll"): Permission.CHANNEL_MANAGE,
    ("GET", "/console/channels/submissions"): Permission.CHANNEL_READ,
    ("POST", "/console/channels/submissions"): Permission.SUBMISSION_SUBMIT,
    ("GET", "/console/experts"): Permission.COMMITTEE_READ,
    ("POST", "/console/experts/panels"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/reviews"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/meetings"): Permission.COMMITTEE_MANAGE,
    ("GET", "/console/experts/panels/{panel_id}"): Permission.COMMITTEE_READ,
    ("POST", "/console/experts/panels/{panel_id}/members"): Permission.COMMITTEE_MANAGE,
    ("GET", "/console/experts/workspace"): Permission.EXPERT_VOTE,
    ("POST", "/console/experts/conflicts"): Permission.EXPERT_VOTE,
    ("GET", "/console/experts/workspace/{review_id}"): Permission.EXPERT_VOTE,
    ("POST", "/console/experts/workspace/{review_id}/vote"): Permission.EXPERT_VOTE,
    ("GET", "/console/experts/meetings/{meeting_id}"): Permission.COMMITTEE_READ,
    ("POST", "/console/experts/meetings/{meeting_id}/record"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/meetings/{meeting_id}/approve"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/meetings/{meeting_id}/items/{item_id}/decision"):
        Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/panels/{panel_id}"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/conflicts/{conflict_id}/end"): Permission.EXPERT_VOTE,
    ("POST", "/console/experts/panels/{panel_id}/members/{user_id}/conflicts/{conflict_id}/end"):
        Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/reviews/{review_id}/withdraw"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/meetings/{meeting_id}/agenda"): Permission.COMMITTEE_MANAGE,
    ("POST", "/console/experts/meetings/{meeting_id}/cancel"): Permission.COMMITTEE_MANAGE,
    ("GET", "/console/imports"): Permission.IMPORT_READ,
    ("GET", "/console/imports/new"): Permission.IMPORT_RUN,
    ("POST", "/console/imports"): Permission.IMPORT_RUN,
    ("GET", "/console/imports/template.xlsx"): Permission.IMPORT_READ,
    ("GET", "/console/imports/{batch_id}"): Permission.IMPORT_READ,
    ("POST", "/console/imports/{batch_id}/rows/{row_id}"): Permission.IMPORT_RUN,
    ("GET", "/console/imports/{batch_id}/report.csv"): Permission.IMPORT_READ,
    ("GET", "/console/import-profiles"): Permission.IMPORT_READ,
    ("GET", "/console/import-profiles/new"): Permission.IMPORT_RUN,
    ("POST", "/console/import-profiles/columns"): Permission.IMPORT_RUN,
    ("POST", "/console/import-profiles"): Permission.IMPORT_RUN,
    ("POST", "/console/import-profiles/{profile_id}/delete"): Permission.IMPORT_RUN,
    ("GET", "/console/clusters"): Permission.RECORD_READ,
    ("GET", "/console/clusters/{cluster_id}"): Permission.RECORD_READ,
    ("POST", "/console/clusters/{cluster_id}/confirm"): Permission.RECORD_LINK,
    ("POST", "/console/clusters/{cluster_id}/split"): Permission.RECORD_LINK,
    ("GET", "/console/records/{record_id}/cluster"): Permission.RECORD_READ,
    ("GET", "/console/complaints"): Permission.REPORT_READ,
    ("GET", "/console/complaints/{report_id}"): Permission.REPORT_READ,
    ("POST", "/console/complaints/{report_id}/transition"): Permission.REPORT_HANDLE,
    ("POST", "/console/complaints/{report_id}/notes"): Permission.REPORT_HANDLE,
    ("GET", "/console/whistleblower-reports"): Permission.REPORT_READ,
    ("GET", "/console/whistleblower-reports/{report_id}"): Permission.REPORT_READ,
    ("POST", "/console/whistleblower-reports/{report_id}/transition"): Permission.REPORT_HANDLE,
    ("POST", "/console/whistleblower-reports/{report_id}/notes"): Permission.REPORT_HANDLE,
    ("POST", _WHISTLEBLOWER + "/identity"): Permission.WHISTLEBLOWER_IDENTITY_READ,
    ("POST", _WHISTLEBLOWER + "/reward"): Permission.WHISTLEBLOWER_REWARD_MANAGE,
    ("GET", "/console/enterprise-reports"): Permission.REPORT_READ,
    ("GET", "/console/enterprise-reports/{report_id}"): Permission.REPORT_READ,
    ("GET", "/console/my-reports"): Permission.ENTERPRISE_REPORT_FILE,
    ("GET", "/console/my-reports/new"): Permission.ENTERPRISE_REPORT_FILE,
    ("POST", "/console/my-reports"): Permission.ENTERPRISE_REPORT_FILE,
    ("GET", "/console/my-reports/{report_id}"): Permission.ENTERPRISE_REPORT_FILE,
    ("GET", "/console/monitoring"): Permission.MONITORING_READ,
    ("POST", "/console/monitoring/plans"): Permission.MONITORING_PLAN,
    ("GET", "/console/monitoring/plans/{plan_id}"): Permission.MONITORING_READ,
    ("POST", "/console/monitoring/plans/{plan_id}/targets"): Permission.MONITORING_PLAN,
    ("POST", "/console/monitoring/plans/{plan_id}/approve"): Permission.MONITORING_APPROVE,
    ("POST", "/console/monitoring/plans/{plan_id}/close"): Permission.MONITORING_PLAN,
    ("POST", "/console/monitoring/plans/{plan_id}/tasks"): Permission.MONITORING_PLAN,
    ("GET", "/console/monitoring/plans/{plan_id}/progress"): Permission.MONITORING_READ,
    ("GET", "/console/monitoring/tasks/{task_id}"): Permission.MONITORING_READ,
    ("POST", "/console/monitoring/tasks/{task_id}/results"): Permission.SAMPLING_RESULT,
    ("GET", "/console/monitoring/points"): Permission.MONITORING_READ,
    ("POST", "/console/monitoring/points"): Permission.MONITORING_PLAN,
    ("GET", "/console/monitoring/points/{point_id}"): Permission.MONITORING_READ,
    ("POST", "/console/monitoring/points/{point_id}"): Permission.MONITORING_PLAN,
    ("GET", "/console/monitoring/plans/{plan_id}/versions/{version}"): Permission.MONITORING_READ,
    ("POST", "/console/monitoring/tasks/{task_id}/transition"): Permission.SAMPLING_RESULT,
    ("POST", "/console/monitoring/tasks/{task_id}/assign"): Permission.MONITORING_PLAN,
    ("POST", "/console/monitoring/results/import"): Permission.SAMPLING_RESULT,
}


def test_every_console_route_declares_its_permission(app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.routing import APIRoute

    from riskgate.core import domain

    found = {}
    for router in domain.resolve("pages", "router"):
        for route in router.routes:
            assert isinstance(route, APIRoute)  # registered directly: the route table lists it
            assert not route.include_in_schema, route.path
            if route.path.startswith("/console/"):
                for method in route.methods - {"HEAD"}:
                    found[(method, route.path_format)] = route_permission(route)
    assert found == EXPECTED_PERMISSIONS
