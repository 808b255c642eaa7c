#!/usr/bin/env bash
# The whole suite on SQLite, then every database test again on PostgreSQL.
# PostgreSQL: TEST_PG_URL (default: database consult_test on the local server, created when missing).
# In CI it must be reachable.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/consult_test}

echo "== suite on SQLite =="
$PY -m pytest "$@"
sqlite_status=$?

pg_status=0
if $PY - "$PG_URL" <<'PY'
import sys
import sqlalchemy as sa
url = sa.engine.make_url(sys.argv[1])
try:
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                              connect_args={"connect_timeout": 3})
    with server.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
except Exception as error:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {type(error).__name__}")
    sys.exit(1)
PY
then
  echo "== database tests again on PostgreSQL =="
  # tests/nlp never touch a database and browser tests serve their own file database.
  TEST_DATABASE_URL="$PG_URL" $PY -m pytest tests --ignore=tests/nlp --ignore=tests/browser "$@"
  pg_status=$?
elif [ "${CI:-}" = "true" ]; then
  echo "CI requires PostgreSQL; failing."
  pg_status=1
else
  echo "Skipping the PostgreSQL pass (start PostgreSQL or set TEST_PG_URL to run it)."
fi

[ $sqlite_status -eq 0 ] && [ $pg_status -eq 0 ]
