#!/usr/bin/env bash
# The database and web tests again with the process clock set to awkward days (libfaketime): the suite must
# not depend on the day it runs. Each date runs with the clock ticking from that moment.
set -uo pipefail
cd "$(dirname "$0")/.."
LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
if [ -z "$LIB" ]; then
  if [ "${CI:-}" = "true" ]; then echo "CI requires libfaketime (apt-get install faketime); failing."; exit 1; fi
  echo "Skipping the date check (apt-get install faketime to run it)."; exit 0
fi
status=0
# Nowruz 1404 just after midnight Tehran; 30 Esfand 1403 (leap year); 23:59 Tehran on the last day of
# Aban 1405; a day in 1410.
for moment in "2025-03-20 20:31:00" "2025-03-19 12:00:00" "2026-11-21 20:29:00" "2031-07-01 06:00:00"; do
  echo "== tests/db tests/web at $moment UTC =="
  FAKETIME="@$moment" FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$LIB" \
    timeout 280 .venv/bin/python -m pytest -q -x tests/db tests/web || status=1
done
exit $status
