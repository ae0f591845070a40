"""Page routers: each page module has its own, included by the application builder.

Page routes are left out of the OpenAPI document; their precedence never depends on the order
in which modules are listed, because paths with ids use the `:int` convertor
(`/console/warnings/{warning_id:int}` never takes `/console/warnings/performance`).
"""

from __future__ import annotations

from fastapi import APIRouter

from riskgate.core.http import api_router


def page_router() -> APIRouter:
    """A router of HTML pages: its routes own their unit of work and stay out of the schema."""
    router: APIRouter = api_router(include_in_schema=False)
    return router
