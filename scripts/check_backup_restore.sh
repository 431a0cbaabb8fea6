#!/usr/bin/env bash
# Proves that scripts/backup.sh and scripts/restore.sh give the portal back whole, on PostgreSQL and on SQLite.
#
# PostgreSQL: a scratch database is migrated and filled with the demo college (seed_demo, DEBUG unset), an evidence
# file is uploaded through the service if the demo has none, then backup.sh; the database is dropped and created
# again empty, MEDIA_ROOT emptied, restore.sh; then the counts of orders, plans, plan versions, meetings, people
# (and more, history rows and unapplied migrations included) must equal those before, every uploaded file must be
# back with the same SHA-256, `manage.py verify_documents` must pass on the restored database, and restore.sh must
# refuse to restore into it again. SQLite: the same round trip into a new file, run in parallel.
#
# Usage: scripts/check_backup_restore.sh
# Environment: BACKUP_CHECK_PG  the server, as a URL without a database name
#                               (default postgres://metodservice@127.0.0.1:5432; the role needs CREATEDB)
#              PYTHON_BIN       the project's Python (default .venv/bin/python)
# Scratch databases are named metod_backup_check_<time>_<pid> and dropped at the end, as is the scratch folder.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
project=$(pwd)
python_bin=${PYTHON_BIN:-$project/.venv/bin/python}
pg_server=${BACKUP_CHECK_PG:-postgres://metodservice@127.0.0.1:5432}
database="metod_backup_check_$(date +%s)_$$"
pg_url="$pg_server/$database"
work=$(mktemp -d -t metod-backup-check.XXXXXX)
started=$(date +%s)
sqlite_job=""

log() { printf '==> [%3d s] %s\n' "$(($(date +%s) - started))" "$*"; }
fail() { printf 'check_backup_restore.sh: FAILED: %s\n' "$*" >&2; exit 1; }
admin_sql() { psql "$pg_server/postgres" -X -q -v ON_ERROR_STOP=1 -c "$1"; }

cleanup() {
  local status=$?
  if [[ -n $sqlite_job ]] && kill -0 "$sqlite_job" 2>/dev/null; then
    pkill -P "$sqlite_job" 2>/dev/null || true # its manage.py, by parent id
    kill "$sqlite_job" 2>/dev/null || true
    wait "$sqlite_job" 2>/dev/null || true
  fi
  admin_sql "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 ||
    printf 'check_backup_restore.sh: could not drop the scratch database %s\n' "$database" >&2
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# manage.py against DATABASE_URL=$1 and MEDIA_ROOT=$2, in development (seed_demo runs only with DEBUG on).
manage() {
  local url=$1 media=$2
  shift 2
  env -u DEBUG DATABASE_URL="$url" MEDIA_ROOT="$media" "$python_bin" manage.py "$@"
}

# Puts one evidence file through planning.services.item_mark when the demo's MEDIA_ROOT has none.
ensure_evidence() {
  local url=$1 media=$2
  if [[ -n "$(find "$media" -type f 2>/dev/null | head -n1)" ]]; then return 0; fi
  manage "$url" "$media" shell -v 0 -c '
from django.core.files.uploadedfile import SimpleUploadedFile
from planning import services
from planning.models import ItemStatus, PlanItem

item = PlanItem.objects.filter(plan__version__gt=0).order_by("pk").first()
assert item is not None, "the demo has no item of an approved plan"
pdf = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
services.item_mark(
    item=item,
    status=ItemStatus.DONE,
    report="Проведено (проверка резервного копирования)",
    evidence_file=SimpleUploadedFile("otchet.pdf", pdf, content_type="application/pdf"),
)
'
  [[ -n "$(find "$media" -type f | head -n1)" ]] || fail "no evidence file arrived in $media"
}

# The counts that must survive the round trip, as one JSON line.
counts() {
  local line
  line=$(manage "$1" "$2" shell -v 0 -c '
import json

from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from simple_history.models import HistoricalChanges

models = {
    "orders": "structure.Order",
    "plans": "planning.Plan",
    "plan versions": "planning.PlanVersion",
    "meetings": "planning.Meeting",
    "people": "structure.Person",
    "memberships": "structure.Membership",
    "plan items": "planning.PlanItem",
    "decisions": "planning.Decision",
    "accounts": "structure.User",
}
counts = {name: apps.get_model(label).objects.count() for name, label in models.items()}
counts["history rows"] = sum(m.objects.count() for m in apps.get_models() if issubclass(m, HistoricalChanges))
executor = MigrationExecutor(connection)
counts["unapplied migrations"] = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
print("COUNTS " + json.dumps(counts, ensure_ascii=False, sort_keys=True))
' 2>"$work/counts.err" | sed -n 's/^COUNTS //p')
  [[ -n $line ]] || { cat "$work/counts.err" >&2; fail "counting the rows of $1"; }
  printf '%s\n' "$line"
}

media_sums() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

# A filled database must hold the demo: otherwise the comparison proves nothing.
require_demo() {
  "$python_bin" -c '
import json, sys
counts = json.loads(sys.argv[1])
empty = [name for name in ("orders", "plans", "plan versions", "meetings", "people") if not counts.get(name)]
sys.exit(f"the demo is missing: {empty}" if empty else 0)
' "$1"
}

compare() {
  local what=$1 before=$2 after=$3
  if [[ $before != "$after" ]]; then
    printf 'before: %s\nafter:  %s\n' "$before" "$after" >&2
    fail "$what differ after the restore"
  fi
}

# ------------------------------------------------------------------ SQLite: the whole round trip in the background
sqlite_round_trip() {
  local source_url="sqlite:///$work/sqlite/source.sqlite3" source_media="$work/sqlite/media"
  local restored_url="sqlite:///$work/sqlite/restored/db.sqlite3" restored_media="$work/sqlite/restored/media"
  local before sums_before
  log "SQLite: migrate, seed_demo"
  manage "$source_url" "$source_media" migrate -v 0
  manage "$source_url" "$source_media" seed_demo >/dev/null
  ensure_evidence "$source_url" "$source_media"
  before=$(counts "$source_url" "$source_media")
  require_demo "$before"
  sums_before=$(media_sums "$source_media")
  log "SQLite: before: $before; $(wc -l <<<"$sums_before") uploaded file(s)"
  DATABASE_URL="$source_url" MEDIA_ROOT="$source_media" scripts/backup.sh "$work/sqlite/backup"
  DATABASE_URL="$restored_url" MEDIA_ROOT="$restored_media" scripts/restore.sh "$work/sqlite/backup"
  compare "the counts (SQLite)" "$before" "$(counts "$restored_url" "$restored_media")"
  compare "the uploaded files or their SHA-256 (SQLite)" "$sums_before" "$(media_sums "$restored_media")"
  log "SQLite: counts and files equal; manage.py verify_documents"
  manage "$restored_url" "$restored_media" verify_documents || fail "verify_documents on the restored SQLite database"
  if DATABASE_URL="$restored_url" MEDIA_ROOT="$work/sqlite/other-media" scripts/restore.sh "$work/sqlite/backup" \
    2>/dev/null; then
    fail "restore.sh replaced an SQLite database that is not empty"
  fi
  log "SQLite: round trip passed"
}
mkdir -p "$work/sqlite"
sqlite_round_trip >"$work/sqlite/log" 2>&1 &
sqlite_job=$!

# ------------------------------------------------------------------ PostgreSQL
log "PostgreSQL: scratch database $database"
admin_sql "CREATE DATABASE \"$database\""
media="$work/pg/media"
mkdir -p "$work/pg"
manage "$pg_url" "$media" migrate -v 0
log "PostgreSQL: seed_demo"
manage "$pg_url" "$media" seed_demo >"$work/pg/seed.log" 2>&1 || { cat "$work/pg/seed.log" >&2; fail "seed_demo"; }
if [[ -z "$(find "$media" -type f 2>/dev/null | head -n1)" ]]; then
  log "PostgreSQL: the demo uploads no file; one evidence file through planning.services.item_mark"
  ensure_evidence "$pg_url" "$media"
fi
before=$(counts "$pg_url" "$media")
require_demo "$before"
sums_before=$(media_sums "$media")
log "PostgreSQL: before: $before; $(wc -l <<<"$sums_before") uploaded file(s)"

log "PostgreSQL: scripts/backup.sh"
DATABASE_URL="$pg_url" MEDIA_ROOT="$media" scripts/backup.sh "$work/pg/backup"

log "PostgreSQL: drop the database, create it empty, empty MEDIA_ROOT"
admin_sql "DROP DATABASE \"$database\" WITH (FORCE)"
admin_sql "CREATE DATABASE \"$database\""
rm -rf "$media"
mkdir -p "$media"

log "PostgreSQL: scripts/restore.sh"
DATABASE_URL="$pg_url" MEDIA_ROOT="$media" scripts/restore.sh "$work/pg/backup"

after=$(counts "$pg_url" "$media")
compare "the counts (PostgreSQL)" "$before" "$after"
compare "the uploaded files or their SHA-256 (PostgreSQL)" "$sums_before" "$(media_sums "$media")"
log "PostgreSQL: counts and files equal; manage.py verify_documents"
manage "$pg_url" "$media" verify_documents || fail "verify_documents on the restored PostgreSQL database"

log "PostgreSQL: restore.sh must refuse a database that is not empty"
if DATABASE_URL="$pg_url" MEDIA_ROOT="$work/pg/other-media" scripts/restore.sh "$work/pg/backup" 2>"$work/pg/refusal.log"; then
  fail "restore.sh restored into a database that is not empty"
fi
grep -q "is not empty" "$work/pg/refusal.log" || { cat "$work/pg/refusal.log" >&2; fail "restore.sh failed for another reason"; }
orders=$(psql "$pg_url" -X -q -t -A -c "SELECT count(*) FROM structure_order")
compare "the orders after a refused restore (PostgreSQL)" "$(sed -E 's/.*"orders": ([0-9]+).*/\1/' <<<"$before")" "$orders"

# ------------------------------------------------------------------ SQLite
log "SQLite: waiting for the round trip running in the background"
sqlite_status=0
wait "$sqlite_job" || sqlite_status=$?
sqlite_job=""
grep -v '^AXES' "$work/sqlite/log" || true
((sqlite_status == 0)) || fail "the SQLite round trip (exit $sqlite_status)"

log "backup and restore round-trip on PostgreSQL and SQLite: all checks passed"
