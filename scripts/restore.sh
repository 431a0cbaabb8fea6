#!/usr/bin/env bash
# Restore the portal from a directory made by scripts/backup.sh: the database into an empty database, the uploaded
# files into an empty MEDIA_ROOT. See README, "Backup and restore".
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/restore.sh [--force] BACKUP_DIR

Restores a backup made by scripts/backup.sh into the database named by DATABASE_URL and into MEDIA_ROOT.
Stop the portal first. The checksums in BACKUP_DIR/SHA256SUMS are verified before anything is touched.

Environment, as the portal reads it:
  DATABASE_URL  postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///relative/path or sqlite:////absolute/path;
                unset = the development database, sqlite:///<project>/db.sqlite3
  MEDIA_ROOT    where the uploaded files go; unset = <project>/media

The target must be empty, or the script refuses and changes nothing:
  PostgreSQL  the database exists (create it first: CREATE DATABASE metodservice OWNER metodservice;) and has
              no tables; the restored objects are owned by the user of DATABASE_URL (pg_restore --no-owner)
  SQLite      the file does not exist or has no tables
  MEDIA_ROOT  does not exist or is empty

  --force     restore over existing data: PostgreSQL drops the backup's objects before re-creating them
              (pg_restore --clean --if-exists), SQLite replaces the file, files are extracted over MEDIA_ROOT

Afterwards: manage.py migrate (applies only what is newer than the backup) and manage.py verify_documents.
EOF
}

die() { printf 'restore.sh: %s\n' "$*" >&2; exit 1; }
note() { printf 'restore.sh: %s\n' "$*" >&2; }

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

force=false
args=()
for arg in "$@"; do
  case $arg in
    -h | --help) usage; exit 0 ;;
    --force) force=true ;;
    -*) usage >&2; exit 2 ;;
    *) args+=("$arg") ;;
  esac
done
if [[ ${#args[@]} -ne 1 ]]; then usage >&2; exit 2; fi
backup=${args[0]}
# DATABASE_URL, MEDIA_ROOT, pg_environment, redacted, sqlite_path: shared with the other script.
# shellcheck source=scripts/lib/database-url.sh
source "$project/scripts/lib/database-url.sh"

# The number of tables in an SQLite file.
sqlite_tables() {
  local query="SELECT count(*) FROM sqlite_master WHERE type = 'table'"
  if command -v sqlite3 >/dev/null; then
    sqlite3 -readonly "$1" "$query"
  else
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute(sys.argv[2]).fetchone()[0])' "$1" "$query"
  fi
}

sqlite_integrity() {
  if command -v sqlite3 >/dev/null; then
    sqlite3 -readonly "$1" "PRAGMA integrity_check"
  else
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1"
  fi
}

# ------------------------------------------------------------------ the backup: complete and intact?
[[ -d $backup ]] || die "$backup is not a directory."
backup=$(cd "$backup" && pwd)
[[ -f $backup/SHA256SUMS && -f $backup/backup.info ]] || die "$backup is not a backup made by scripts/backup.sh."
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || die "$backup is damaged: a checksum does not match."
kind=$(sed -n 's/^kind=//p' "$backup/backup.info")
database_file=$(sed -n 's/^database_file=//p' "$backup/backup.info")
media_files=$(sed -n 's/^media_files=//p' "$backup/backup.info")
note "backup of $(sed -n 's/^created=//p' "$backup/backup.info"): $kind database, $media_files uploaded file(s)"

# ------------------------------------------------------------------ the target must be empty (checked before any change)
case $database_url in
  postgres://* | postgresql://* | pgsql://*)
    [[ $kind == postgresql ]] || die "the backup holds an $kind database; DATABASE_URL names a PostgreSQL one."
    command -v pg_restore >/dev/null || die "pg_restore is not installed (Debian: apt-get install postgresql-client)."
    pg_environment "$database_url"
    objects=$(psql -X -q -t -A -v ON_ERROR_STOP=1 -c "
      SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
        AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')") ||
      die "cannot open database $PGDATABASE ($(redacted "$database_url")). Create it first, empty:
    CREATE DATABASE $PGDATABASE OWNER ${PGUSER:-metodservice};"
    if [[ $objects != 0 && $force != true ]]; then
      die "database $PGDATABASE is not empty ($objects tables, views or sequences): restore into an empty database, or give --force to replace its content."
    fi
    ;;
  sqlite://*)
    [[ $kind == sqlite ]] || die "the backup holds a $kind database; DATABASE_URL names an SQLite one."
    target=$(sqlite_path "$database_url")
    if [[ -s $target && $force != true ]]; then
      tables=$(sqlite_tables "$target") || die "$target exists and is not an SQLite database: move it away first."
      if [[ $tables != 0 ]]; then
        die "SQLite database $target is not empty ($tables tables): restore into a new file, or give --force to replace it."
      fi
    fi
    ;;
  *)
    die "DATABASE_URL must start with postgres:// or sqlite:// (got $(redacted "$database_url"))."
    ;;
esac
if [[ -e $media_root && ! -d $media_root ]]; then die "MEDIA_ROOT $media_root is not a directory."; fi
if [[ -d $media_root && -n "$(ls -A "$media_root")" && $force != true ]]; then
  die "MEDIA_ROOT $media_root is not empty: restore into an empty folder, or give --force to extract over it."
fi

# ------------------------------------------------------------------ the database
if [[ $kind == postgresql ]]; then
  note "restoring into PostgreSQL database $PGDATABASE ($(redacted "$database_url"))"
  clean=()
  if [[ $force == true ]]; then clean=(--clean --if-exists); fi
  pg_restore --no-owner --no-privileges --single-transaction --exit-on-error "${clean[@]}" \
    --dbname="$PGDATABASE" "$backup/$database_file"
else
  note "restoring SQLite database $target"
  mkdir -p "$(dirname "$target")"
  cp "$backup/$database_file" "$target.restoring.$$"
  rm -f "$target-wal" "$target-shm" "$target-journal"
  mv -f "$target.restoring.$$" "$target"
  result=$(sqlite_integrity "$target")
  [[ $result == ok ]] || die "the restored $target fails SQLite's integrity check: $result"
fi

# ------------------------------------------------------------------ the uploaded files
mkdir -p "$media_root"
tar -xzf "$backup/media.tar.gz" -C "$media_root"
restored=$(find "$media_root" -type f | wc -l)
note "restored $restored uploaded file(s) into $media_root"
if [[ $force != true && $restored != "$media_files" ]]; then
  die "the backup lists $media_files uploaded file(s), but $restored arrived."
fi
note "done. Next: manage.py migrate (applies what is newer than the backup), then manage.py verify_documents."
