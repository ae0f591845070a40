"""Organisations offered in a form's select: those in the actor's scope, in tree order."""

from __future__ import annotations

from sqlalchemy import func, select

from riskgate.core.http import RequestContext
from riskgate.identity.models import Organisation
from riskgate.identity.scope import in_subtree

CHOICE_LIMIT = 500  # organisations offered in a select; the tree page lists them all


def organisation_choices(ctx: RequestContext, *, exclude_subtree_of: Organisation | None = None,
                         levels: int | None = None, selected: int | None = None,
                         ) -> list[tuple[int, str]]:
    """(id, indented name) of the organisations in the actor's scope, in tree order.

    `levels` keeps only that many levels below the actor's organisation (list filters need the
    main branches, not every leaf; a deeper `selected` one is kept). Reads plain columns, not
    ORM objects: this list is on several busy pages.
    """
    stmt = (select(Organisation.id, Organisation.path, Organisation.code, Organisation.name_zh,
                   Organisation.name_en)
            .where(in_subtree(Organisation.path, ctx.actor.organisation_path))
            .order_by(Organisation.path).limit(CHOICE_LIMIT))
    if levels is not None:
        slashes = func.length(Organisation.path) - func.length(
            func.replace(Organisation.path, "/", ""))
        shallow = slashes <= ctx.actor.organisation_path.count("/") + levels
        stmt = stmt.where(shallow | (Organisation.id == selected) if selected else shallow)
    base = max(ctx.actor.organisation_path.count("/"), 2)
    english = ctx.language == "en"
    choices = []
    for row in ctx.db.execute(stmt):
        if exclude_subtree_of is not None and row.path.startswith(exclude_subtree_of.path):
            continue
        indent = "\u3000" * max(0, min(8, row.path.count("/") - base))
        name = row.name_en if english and row.name_en else row.name_zh
        choices.append((row.id, f"{indent}{name} ({row.code})"))
    return choices
