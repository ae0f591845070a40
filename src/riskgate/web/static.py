"""Static files: our own under /static, npm-installed libraries under /static/vendor.

Vendor files are served from node_modules by an allow-list, so nothing third-party is committed
and nothing comes from a CDN at run time (government intranets are often air-gapped).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.permissions import Permission

STATIC_DIR = Path(__file__).resolve().parent / "static"

VENDOR_FILES: dict[str, str] = {
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}

router = api_router(include_in_schema=False)


@router.get("/static/vendor/{library}/{filename}")
def vendor_file(library: str, filename: str,
                ctx: RequestContext = require(Permission.PUBLIC)) -> FileResponse:
    relative = VENDOR_FILES.get(f"{library}/{filename}")
    if relative is None:
        raise NotFound("file")
    path = Path(ctx.settings.assets_dir) / relative
    if not path.is_file():
        raise NotFound("file")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})


def mount_static(app: FastAPI):  # type: ignore[no-untyped-def]
    """Serve /static and /static/vendor; returns the vendor router for the route registry."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return router


def missing_vendor_files(assets_dir: Path) -> list[str]:
    return [rel for rel in VENDOR_FILES.values() if not (assets_dir / rel).is_file()]
