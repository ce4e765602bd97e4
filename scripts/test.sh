#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL when it answers at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export QUALITYFUND_TESTING=1
export QUALITYFUND_DATA_DIR="${QUALITYFUND_DATA_DIR:-$PWD/var}/test"
mkdir -p "$QUALITYFUND_DATA_DIR"

echo "== architecture: import contracts =="
$BIN/lint-imports

echo "== tests on SQLite =="
env -u DATABASE_URL $BIN/pytest -n 2 --dist loadgroup "$@"

if $BIN/python - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(2)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
then
  # The pure domain layer never touches a database: once, on SQLite, is enough.
  echo "== tests on PostgreSQL (every test that uses the database) =="
  DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qualityfund}" \
    $BIN/pytest -n 2 --dist loadgroup --ignore=tests/domain "$@"
else
  echo "PostgreSQL does not answer at 127.0.0.1:5432: the PostgreSQL run is skipped."
fi
