"""Console page of the issuing-authority table (W3): which organisation levels may approve,
publish, adjust to or lift a warning of each level (supervisors change it; audited)."""

from __future__ import annotations

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.enums import WarningLevel
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.identity.enums import OrgLevel
from riskgate.warnings.lifecycle import authority
from riskgate.warnings.lifecycle.pages import labels
from riskgate.warnings.lifecycle.schemas import AuthorityRuleIn
from riskgate.web.forms import Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()



def _authority_page(ctx: RequestContext, errors: dict[str, str] | None = None,
                    submitted: dict[str, list[str]] | None = None,
                    status_code: int = 200) -> Response:
    rules = authority.rules(ctx.db)
    table = [{"level": level.value,
              "chosen": (submitted or {}).get(level.value, rules[level]),
              "error": (errors or {}).get(level.value)} for level in WarningLevel]
    return render(ctx.request, "console/warnings/authority.html", {
        "rules": table,
        "org_levels": OrgLevel.choices(ctx.language, authority.ISSUING_LEVELS),
        **labels(ctx.language)}, status_code=status_code)


@router.get("/console/warnings/authority", response_class=HTMLResponse)
def authority_rules(ctx: RequestContext = require(Permission.WARNING_AUTHORITY_MANAGE)
                    ) -> Response:
    return _authority_page(ctx)


@router.post("/console/warnings/authority", response_class=HTMLResponse)
def authority_update(submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.WARNING_AUTHORITY_MANAGE)
                     ) -> Response:
    """One level's row of the table: the problem is shown in that row."""
    code = submitted.fields.get("level", "")
    if code not in WarningLevel.__members__:
        return _authority_page(ctx, status_code=422)
    level = WarningLevel(code)
    chosen = submitted.lists.get("org_levels", [])

    def again(form: Form, status: int) -> Response:
        message = "; ".join(text for _name, text in form.summary()) or form.message or ""
        return _authority_page(ctx, {code: message}, {code: chosen}, status)

    return submit(ctx, submitted, AuthorityRuleIn, form=Form(), data={"org_levels": chosen},
                  act=lambda body: authority.update_rule(ctx.db, ctx.actor, level,
                                                         body.org_levels),
                  done=lambda _: ("/console/warnings/authority",
                                  N_("Issuing authority for level {level} saved."),
                                  {"level": code}),
                  again=again)
