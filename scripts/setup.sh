#!/usr/bin/env bash
# Create .venv from the lock file (uv.lock, hashed). Needs only python3 (3.11 or 3.12) and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.9.30
if [ ! -x .tools/bin/uv ]; then
  python3 -m venv .tools
  .tools/bin/pip install --quiet "uv==${UV_VERSION}"
fi
# All groups: dev (tests) and bench (the textacy peer `python -m bench` compares against).
# Bytecode compiled once here: a process that cannot write __pycache__ (PYTHONDONTWRITEBYTECODE) would
# otherwise compile every module it imports, about 8 s per process for Prefect, GX and spaCy.
.tools/bin/uv sync --locked --all-groups --compile-bytecode --quiet "$@"
