#!/usr/bin/env bash
# Back up the portal: the database and the uploaded files (MEDIA_ROOT), into one new directory.
# See README, "Backup and restore"; scripts/restore.sh puts such a directory back.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/backup.sh DEST_DIR

Backs up the portal's database and uploaded files into DEST_DIR (created; it must not exist or be empty):

  database.pgdump    PostgreSQL: pg_dump in the custom format (-Fc), for pg_restore
  database.sqlite3   SQLite: a consistent copy made with SQLite's online backup (safe while the portal runs)
  media.tar.gz       everything under MEDIA_ROOT
  backup.info        what was backed up and when
  SHA256SUMS         checksums of the files above (restore.sh checks them first)

Environment, as the portal reads it:
  DATABASE_URL  postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///relative/path or sqlite:////absolute/path;
                unset = the development database, sqlite:///<project>/db.sqlite3
  MEDIA_ROOT    the uploaded files; unset = <project>/media

Needs pg_dump (package postgresql-client, the server's major version or newer) for PostgreSQL, and the sqlite3
command (package sqlite3) or python3 for SQLite. The password is passed to pg_dump in the environment, never on
the command line.
EOF
}

die() { printf 'backup.sh: %s\n' "$*" >&2; exit 1; }
note() { printf 'backup.sh: %s\n' "$*" >&2; }

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

case ${1:-} in -h | --help) usage; exit 0 ;; esac
if [[ $# -ne 1 || $1 == -* ]]; then usage >&2; exit 2; fi
dest=$1
# DATABASE_URL, MEDIA_ROOT, pg_environment, redacted, sqlite_path: shared with the other script.
# shellcheck source=scripts/lib/database-url.sh
source "$project/scripts/lib/database-url.sh"

# ------------------------------------------------------------------ the destination
if [[ -e $dest && ! -d $dest ]]; then die "$dest exists and is not a directory."; fi
if [[ -d $dest && -n "$(ls -A "$dest")" ]]; then die "$dest is not empty: give a new directory."; fi
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ------------------------------------------------------------------ the database
case $database_url in
  postgres://* | postgresql://* | pgsql://*)
    kind=postgresql
    command -v pg_dump >/dev/null || die "pg_dump is not installed (Debian: apt-get install postgresql-client)."
    pg_environment "$database_url"
    note "dumping PostgreSQL database $PGDATABASE ($(redacted "$database_url"))"
    pg_dump --format=custom --file="$dest/database.pgdump"
    database_file=database.pgdump
    ;;
  sqlite://*)
    kind=sqlite
    source_file=$(sqlite_path "$database_url")
    [[ -f $source_file ]] || die "SQLite database $source_file does not exist."
    note "copying SQLite database $source_file (online backup)"
    if command -v sqlite3 >/dev/null; then
      sqlite3 "$source_file" ".backup '${dest//\'/\'\'}/database.sqlite3'"
    else
      command -v python3 >/dev/null || die "neither the sqlite3 command nor python3 is installed."
      python3 - "$source_file" "$dest/database.sqlite3" <<'EOF'
import sqlite3
import sys

source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
target = sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
target.close()
source.close()
EOF
    fi
    database_file=database.sqlite3
    ;;
  *)
    die "DATABASE_URL must start with postgres:// or sqlite:// (got $(redacted "$database_url"))."
    ;;
esac

# ------------------------------------------------------------------ the uploaded files
if [[ -d $media_root ]]; then
  files=$(find "$media_root" -type f | wc -l)
  note "archiving $files file(s) from $media_root"
  tar -C "$media_root" -czf "$dest/media.tar.gz" .
else
  files=0
  note "MEDIA_ROOT $media_root does not exist: nothing uploaded yet, archiving an empty folder"
  empty=$(mktemp -d)
  tar -C "$empty" -czf "$dest/media.tar.gz" .
  rmdir "$empty"
fi

# ------------------------------------------------------------------ what it is, and its checksums
cat >"$dest/backup.info" <<EOF
kind=$kind
database_file=$database_file
media_files=$files
created=$started
source=$(redacted "$database_url")
media_root=$media_root
EOF
(cd "$dest" && sha256sum "$database_file" media.tar.gz backup.info >SHA256SUMS)
note "done: $dest ($(du -sh "$dest" | cut -f1))"
