#!/usr/bin/env bash
# The second README command: set up with the test tools, run the linters (scripts/lint.sh), then
# the whole suite on SQLite and on PostgreSQL. PostgreSQL is taken from RISKGATE_TEST_PG_URL
# (default: the local server at 127.0.0.1:5432, user postgres); without one the PostgreSQL pass
# is skipped with a notice, unless RISKGATE_REQUIRE_POSTGRES=1 (CI), which makes that an error.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
scripts/lint.sh

PG_URL="${RISKGATE_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export RISKGATE_TEST_PG_URL="$PG_URL"
PYTEST=(.venv/bin/python -m pytest -n "${RISKGATE_TEST_PROCESSES:-2}" -p no:cacheprovider "$@")

echo "==> test suite on SQLite"
RISKGATE_TEST_DATABASE=sqlite "${PYTEST[@]}"

if .venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  echo "==> test suite on PostgreSQL"
  RISKGATE_TEST_DATABASE=postgresql "${PYTEST[@]}"
elif [[ "${RISKGATE_REQUIRE_POSTGRES:-0}" == 1 ]]; then
  echo "PostgreSQL is required but not reachable at $PG_URL" >&2
  exit 1
else
  echo "==> PostgreSQL not reachable at $PG_URL: PostgreSQL pass skipped" >&2
fi
