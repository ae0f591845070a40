"""The ASGI application for uvicorn (`riskgate serve`, or any ASGI server in production)."""

from riskgate.core.app import create_app

app = create_app()
