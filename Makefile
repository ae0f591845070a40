# The two commands of the README, and a few conveniences.
.PHONY: run test setup lint i18n bench

run:        ## set up, migrate, load demo data and serve on http://127.0.0.1:8000
	scripts/run.sh

test:       ## the whole suite on SQLite and PostgreSQL
	scripts/test.sh

setup:
	scripts/setup.sh --dev

lint:       ## ruff, the layer contract (import-linter) and the types (mypy)
	scripts/lint.sh

i18n:       ## merge new msgids into the zh-CN catalog
	.venv/bin/python scripts/i18n.py
