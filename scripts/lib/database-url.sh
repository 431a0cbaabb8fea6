# shellcheck shell=bash
# What scripts/backup.sh and scripts/restore.sh share: the portal's DATABASE_URL and MEDIA_ROOT read as the portal
# reads them, libpq's environment from a postgres:// URL, the SQLite file of a sqlite:// URL. Sourced, not run;
# the caller defines die() and sets $project.
# shellcheck disable=SC2034  # database_url and media_root are read by the scripts that source this file

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
