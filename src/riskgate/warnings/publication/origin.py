"""The address links in feeds, CAP messages and exports start with: `RISKGATE_BASE_URL` when it
is set, else the origin the request came to (scheme, host and port) — so a server started on
another port never hands out links to http://127.0.0.1:8000."""

from __future__ import annotations

from riskgate.core.http import RequestContext
from riskgate.core.settings import Settings


def configured(settings: Settings) -> bool:
    """Whether the base URL was given (environment or .env), not left at its default."""
    return "base_url" in settings.model_fields_set


def base_url(ctx: RequestContext) -> str:
    """The public base URL for links built while answering this request."""
    if configured(ctx.settings):
        return str(ctx.settings.base_url)
    url = ctx.request.url
    return f"{url.scheme}://{url.netloc}"
