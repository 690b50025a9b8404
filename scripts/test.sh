#!/usr/bin/env bash
# One command: set up with the test tools and run the whole test suite
# (unit, real-model, offline, app and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest -ra "$@"
