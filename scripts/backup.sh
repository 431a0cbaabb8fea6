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
database_url=${DATABASE_URL:-sqlite:///$project/db.sqlite3}
media_root=${MEDIA_ROOT:-$project/media}

urldecode() {
  local text=${1//\\/\\\\}
  printf '%b' "${text//%/\\x}"
}

# libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE) from a postgres:// URL.
pg_environment() {
  local rest=${1#*://} query="" path="" auth="" hostport host port="" pair
  if [[ $rest == *\?* ]]; then query=${rest#*\?}; rest=${rest%%\?*}; fi
  if [[ $rest == */* ]]; then path=${rest#*/}; rest=${rest%%/*}; fi
  if [[ $rest == *@* ]]; then auth=${rest%@*}; hostport=${rest##*@}; else hostport=$rest; fi
  if [[ $hostport == \[* ]]; then # [::1]:5432
    host=${hostport%%]*}; host=${host#[}; port=${hostport##*]}; port=${port#:}
  else
    host=${hostport%%:*}
    if [[ $hostport == *:* ]]; then port=${hostport##*:}; fi
  fi
  if [[ -z $path ]]; then die "DATABASE_URL names no database: $(redacted "$1")"; fi
  if [[ -n $host ]]; then PGHOST=$(urldecode "$host") && export PGHOST; fi
  if [[ -n $port ]]; then export PGPORT="$port"; fi
  if [[ -n $auth ]]; then
    PGUSER=$(urldecode "${auth%%:*}") && export PGUSER
    if [[ $auth == *:* ]]; then PGPASSWORD=$(urldecode "${auth#*:}") && export PGPASSWORD; fi
  fi
  PGDATABASE=$(urldecode "$path") && export PGDATABASE
  for pair in ${query//&/ }; do
    case ${pair%%=*} in
      sslmode) export PGSSLMODE="${pair#*=}" ;;
      sslrootcert) PGSSLROOTCERT=$(urldecode "${pair#*=}") && export PGSSLROOTCERT ;;
    esac
  done
  return 0
}

# The URL without its password, for messages.
redacted() { sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$1"; }

sqlite_path() {
  local path=${1#sqlite://}
  path=${path#/}
  [[ -n $path && $path != :memory: ]] || die "DATABASE_URL names no SQLite file: $1"
  printf '%s' "$path"
}

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
