"""`python -m riskgate …` is the `riskgate` command."""

from riskgate.cli import app

app()
