#!/usr/bin/env bash
# The first README command: set up, migrate, load the demo data, and serve on
# http://127.0.0.1:8000 with SQLite and the outbox worker inside the server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export RISKGATE_DATABASE_URL="${RISKGATE_DATABASE_URL:-sqlite:///$PWD/var/riskgate.db}"
.venv/bin/riskgate db upgrade
.venv/bin/riskgate load-demo
exec .venv/bin/riskgate serve "$@"
