#!/usr/bin/env bash
# The linters CI runs before the suite: style (ruff), the one-way house (import-linter's layer
# contract in pyproject.toml), types (mypy, configured in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> ruff"
.venv/bin/ruff check src tests bench scripts
echo "==> lint-imports (the layers)"
.venv/bin/lint-imports --no-cache
echo "==> mypy"
.venv/bin/mypy
