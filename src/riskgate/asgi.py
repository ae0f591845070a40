"""The ASGI application for uvicorn (`riskgate serve`, or any ASGI server in production)."""

from riskgate.composition import create_app

app = create_app()
