#!/usr/bin/env bash
# Sets up and runs the stack ckanext-odconf needs on a Debian/Ubuntu machine:
# system packages (apt), PostgreSQL, Redis, a Python venv with CKAN, then
# either a demo site or the test suite. The Makefile calls the sub-commands:
#
#   scripts/stack.sh setup     apt packages, PostgreSQL role and databases, Redis, venv
#   scripts/stack.sh demo      setup + ckan.ini, database, sysadmin, programme, server on :5000
#                              (gunicorn; the development server `ckan run` with ODCONF_DEV_SERVER=1)
#                              and one background worker (`ckan jobs worker`: link checks)
#   scripts/stack.sh test-env  setup + the test database schema (ckan -c test.ini db init)
#   scripts/stack.sh test      test-env + mypy + pytest (extra arguments: PYTEST_ARGS or after the command)
#   scripts/stack.sh stop      stop the CKAN server, the worker and the Redis this script started
#
# Environment: VENV (default: .venv in the repository), PYTEST_ARGS;
# for the demo server ODCONF_WORKERS and ODCONF_THREADS (gunicorn worker
# processes, default 3, and threads in each, default 4), ODCONF_DEV_SERVER=1.
# Every step is idempotent: a second run reuses what exists.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$REPO_DIR/.venv}
VAR_DIR=$REPO_DIR/var
LOG=$VAR_DIR/stack.log

CKAN_INI=$REPO_DIR/ckan.ini
TEST_INI=$REPO_DIR/test.ini
PROGRAMME=ckanext/odconf/programmes/nodc-2024.yaml

APT_PACKAGES=(postgresql redis-server libpq-dev python3-dev python3-venv build-essential
              libmagic1 libicu-dev pkg-config curl iproute2
              chromium fonts-khmeros)  # the browser tests' browser, and Khmer glyphs in its screenshots
PIP_VERSION=26.3

PG_CLUSTER=main
PG_PORT=5432
DB_ROLE=odconf
DB_PASSWORD=odconf
DEMO_DB=odconf
TEST_DB=odconf_test

REDIS_HOST=127.0.0.1
REDIS_PORT=6379
REDIS_DIR=$VAR_DIR/redis
DEMO_REDIS_DB=0

CKAN_HOST=127.0.0.1
CKAN_PORT=5000
SITE_URL=http://$CKAN_HOST:$CKAN_PORT
CKAN_PID_FILE=$VAR_DIR/ckan.pid
CKAN_LOG=$VAR_DIR/ckan.log
WORKER_PID_FILE=$VAR_DIR/worker.pid
WORKER_LOG=$VAR_DIR/worker.log
GUNICORN_CONF=$REPO_DIR/scripts/gunicorn.conf.py
ODCONF_WORKERS=${ODCONF_WORKERS:-3}
ODCONF_THREADS=${ODCONF_THREADS:-4}
ODCONF_DEV_SERVER=${ODCONF_DEV_SERVER:-}
SERVER_DESCRIPTION=
ADMIN_NAME="admin"
ADMIN_EMAIL=admin@example.org
ADMIN_PASSWORD_FILE=$VAR_DIR/admin-password
API_TOKEN_FILE=$VAR_DIR/api-token

# --- output -----------------------------------------------------------------

say() { printf '==> %s\n' "$*"; }

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Stops with a message and the last lines of a log file.
die_with_log() {
    printf 'ERROR: %s Last lines of %s:\n' "$1" "$2" >&2
    tail -n 15 "$2" | sed 's/^/    /' >&2
    exit 1
}

# Retries a command every 0.25 s for up to $1 seconds; fails if it never succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.25
    done
}

process_gone() {
    ! kill -0 "$1" 2>/dev/null
}

process_group_gone() {
    ! kill -0 -- "-$1" 2>/dev/null
}

# Runs a command with its output appended to $LOG; on failure stops with the
# step's name and the end of the log instead of the command's full output.
run_logged() {
    local what=$1
    shift
    # The command line is logged without passwords.
    printf '\n### %s: %s\n' "$(date '+%F %T')" "$(sed -E 's/(password=)[^ ]+/\1***/g' <<<"$*")" >>"$LOG"
    "$@" >>"$LOG" 2>&1 || die_with_log "$what failed." "$LOG"
}

need_root() {
    [[ $(id -u) -eq 0 ]] || die "$1 needs root: run as root (sudo make ...)."
}

# --- system packages ----------------------------------------------------------

missing_apt_packages() {
    local pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || printf '%s\n' "$pkg"
    done
}

ensure_apt_packages() {
    local missing
    mapfile -t missing < <(missing_apt_packages)
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "System packages: all present."
        return
    fi
    local wanted="${missing[*]}"
    local hint="apt-get update && apt-get install -y $wanted"
    command -v apt-get >/dev/null ||
        die "Missing system packages: $wanted. This needs a Debian/Ubuntu machine with apt-get."
    [[ $(id -u) -eq 0 ]] ||
        die "Missing system packages: $wanted. Run as root, or install them as root first: $hint"
    say "System packages: installing $wanted (log: $LOG)"
    printf '\n### %s: apt-get update\n' "$(date '+%F %T')" >>"$LOG"
    local update_output
    # apt-get update exits 0 even when every source failed; its warnings tell.
    if ! update_output=$(apt-get update 2>&1) ||
        grep -qE '^(W|E): (Failed to fetch|Some index files failed)' <<<"$update_output"; then
        printf '%s\n' "$update_output" >>"$LOG"
        die "apt-get update failed (no network or no access to the package mirror?; see $LOG). Missing: $wanted. Install them with: $hint"
    fi
    printf '%s\n' "$update_output" >>"$LOG"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1; then
        die "apt-get install failed (see $LOG). Missing: $wanted. Install them with: $hint"
    fi
}

# --- PostgreSQL ---------------------------------------------------------------

pg_version() {
    if [[ -n ${PG_VERSION:-} ]]; then
        printf '%s\n' "$PG_VERSION"
        return
    fi
    find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -n 1
}

# One line of pg_lsclusters for our cluster: version name port status owner datadir logfile
pg_cluster_line() {
    pg_lsclusters --no-header 2>/dev/null | awk -v v="$1" -v c="$PG_CLUSTER" '$1 == v && $2 == c'
}

psql_admin() {
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@")
}

ensure_postgres_running() {
    local version line port status logfile
    version=$(pg_version)
    if [[ -z $version ]] || ! command -v pg_lsclusters >/dev/null; then
        die "PostgreSQL is not installed (apt-get install -y postgresql)."
    fi
    line=$(pg_cluster_line "$version")
    if [[ -z $line ]]; then
        need_root "Creating the PostgreSQL cluster $version/$PG_CLUSTER"
        say "PostgreSQL: creating cluster $version/$PG_CLUSTER"
        run_logged "pg_createcluster $version $PG_CLUSTER" \
            pg_createcluster --encoding=UTF8 --locale=C.UTF-8 --port="$PG_PORT" "$version" "$PG_CLUSTER"
        line=$(pg_cluster_line "$version")
    fi
    read -r _ _ port status _ _ logfile <<<"$line"
    [[ $port == "$PG_PORT" ]] ||
        die "PostgreSQL cluster $version/$PG_CLUSTER listens on port $port; ckan.ini and test.ini expect $PG_PORT."
    logfile=${logfile:-/var/log/postgresql/postgresql-$version-$PG_CLUSTER.log}
    if [[ $status != online* ]]; then
        need_root "Starting PostgreSQL"
        say "PostgreSQL: starting cluster $version/$PG_CLUSTER"
        local log_size output
        log_size=$(stat -c %s "$logfile" 2>/dev/null || echo 0)
        if ! output=$(pg_ctlcluster "$version" "$PG_CLUSTER" start 2>&1); then
            printf '%s\n' "$output" >>"$LOG"
            printf 'ERROR: PostgreSQL %s/%s cannot be started (its log: %s):\n' "$version" "$PG_CLUSTER" "$logfile" >&2
            # What this attempt wrote (pg_ctl's own output, then the server log), without the
            # generic lines that only say it failed.
            { printf '%s\n' "$output"; tail -c +"$((log_size + 1))" "$logfile" 2>/dev/null; } |
                grep -v -e '^pg_ctl: could not start server' -e '^Examine the log' -e '^Error: .*exited with status' -e '^$' |
                awk '!seen[$0]++' | tail -n 5 | sed 's/^/    /' >&2
            exit 1
        fi
        printf '%s\n' "$output" >>"$LOG"
    else
        say "PostgreSQL: cluster $version/$PG_CLUSTER is running."
    fi
    wait_for 15 pg_isready -q -h 127.0.0.1 -p "$PG_PORT" ||
        die "PostgreSQL $version/$PG_CLUSTER does not answer on 127.0.0.1:$PG_PORT. Its log: $logfile"
}

# psql as the project's role, over TCP like CKAN: needs no root once the role exists.
psql_project() {
    local db=$1
    shift
    PGPASSWORD=$DB_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$DB_ROLE" -d "$db" "$@"
}

ensure_role() {
    if [[ $(psql_admin -Atc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'") != 1 ]]; then
        say "PostgreSQL: creating role $DB_ROLE"
        psql_admin -c "CREATE ROLE $DB_ROLE LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    fi
}

ensure_database() {
    local db=$1
    psql_project "$db" -c 'SELECT 1' >/dev/null 2>&1 && return
    need_root "Creating the PostgreSQL role $DB_ROLE and database $db"
    ensure_role
    if [[ $(psql_admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'") != 1 ]]; then
        say "PostgreSQL: creating database $db"
        psql_admin -c "CREATE DATABASE $db OWNER $DB_ROLE ENCODING 'UTF8'
                       LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
    fi
    psql_project "$db" -c 'SELECT 1' >/dev/null 2>&1 ||
        die "Cannot connect to database $db as $DB_ROLE/$DB_PASSWORD on 127.0.0.1:$PG_PORT (check pg_hba.conf and the role's password)."
}

ensure_postgres() {
    ensure_postgres_running
    local db
    for db in "$@"; do
        ensure_database "$db"
    done
}

# --- Redis --------------------------------------------------------------------

redis_answers() {
    command -v redis-cli >/dev/null &&
        [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

ensure_redis() {
    if redis_answers; then
        say "Redis: answering on $REDIS_HOST:$REDIS_PORT."
        return
    fi
    command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install -y redis-server)."
    say "Redis: starting on $REDIS_HOST:$REDIS_PORT (data and log in $REDIS_DIR)"
    mkdir -p "$REDIS_DIR"
    redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --daemonize yes \
        --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" >>"$LOG" 2>&1 ||
        die "redis-server did not start, see $REDIS_DIR/redis.log"
    wait_for 5 redis_answers ||
        die "Redis does not answer on $REDIS_HOST:$REDIS_PORT. Last line of $REDIS_DIR/redis.log: $(tail -n 1 "$REDIS_DIR/redis.log" 2>/dev/null)"
}

# --- Python venv --------------------------------------------------------------

find_python() {
    local candidate version
    for candidate in python3.11 python3; do
        command -v "$candidate" >/dev/null || continue
        version=$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
            command -v "$candidate"
            return
        fi
        printf 'Found %s %s, too old.\n' "$candidate" "$version" >&2
    done
    die "CKAN 2.11 needs Python >= 3.10 (3.11 recommended): install python3.11, or python3 from Debian 12 / Ubuntu 22.04 or later."
}

venv_is_current() {
    local stamp=$VENV/.odconf-installed file
    [[ -f $stamp ]] || return 1
    for file in requirements.txt dev-requirements.txt setup.py pyproject.toml; do
        [[ $stamp -nt $REPO_DIR/$file ]] || return 1
    done
}

ensure_venv() {
    if [[ ! -x $VENV/bin/python ]]; then
        local python
        python=$(find_python)
        say "Python: creating venv $VENV with $python"
        run_logged "Creating the venv (is python3-venv installed?)" "$python" -m venv "$VENV"
    fi
    "$VENV/bin/python" -c 'import sys' 2>/dev/null ||
        die "The venv $VENV is broken (its Python does not run). Remove it and re-run."
    if venv_is_current; then
        say "Python: venv $VENV is up to date."
        return
    fi
    say "Python: installing CKAN, the extensions and this package into $VENV (first time: a few minutes; log: $LOG)"
    (
        cd "$REPO_DIR"
        run_logged "pip install pip==$PIP_VERSION" \
            "$VENV/bin/python" -m pip install --disable-pip-version-check "pip==$PIP_VERSION"
        run_logged "pip install -r requirements.txt -r dev-requirements.txt" \
            "$VENV/bin/pip" install -r requirements.txt -r dev-requirements.txt
        # compat mode: CKAN finds ckanext.* namespace packages only through a .pth path entry.
        run_logged "pip install -e ." \
            "$VENV/bin/pip" install -e . --no-deps --config-settings editable_mode=compat
    )
    touch "$VENV/.odconf-installed"
}

# --- set-up as a whole --------------------------------------------------------

# Serialises set-up between concurrent runs in the same checkout (pip in one venv).
lock_setup() {
    exec 9>"$VAR_DIR/setup.lock"
    flock 9
}

setup() {
    lock_setup
    ensure_apt_packages
    ensure_postgres "$@"
    ensure_redis
    ensure_venv
    flock -u 9
}

ckan_cli() {
    "$VENV/bin/ckan" "$@"
}

# --- CKAN server --------------------------------------------------------------

# Pid recorded in pid file $1 when that process still runs a command matching
# the extended regular expression $2 (a reused pid is not ours), or nothing.
pid_from_file() {
    local pid
    [[ -f $1 ]] || return 0
    pid=$(<"$1")
    if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE "$2"; then
        printf '%s\n' "$pid"
    fi
}

# Pid of our running CKAN server, or nothing.
our_server_pid() {
    pid_from_file "$CKAN_PID_FILE" 'ckan.* run|gunicorn'
}

# Process group of a pid (field 5 of /proc/PID/stat, after the command name).
process_group() {
    sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3
}

# Fails with a clear message when the CKAN port is taken by anything but our server.
check_port() {
    local listeners pid ours
    listeners=$(ss -ltnpH "sport = :$CKAN_PORT" 2>/dev/null || true)
    [[ -n $listeners ]] || return 0
    ours=$(our_server_pid)
    local pids
    mapfile -t pids < <(grep -o 'pid=[0-9]*' <<<"$listeners" | cut -d= -f2 | sort -u)
    for pid in "${pids[@]}"; do
        [[ -n $ours && $(process_group "$pid") == "$ours" ]] && continue
        die "Port $CKAN_PORT is already in use by $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed 's/ $//') (pid $pid), not by this demo. Stop it or free the port, then re-run. ss -ltnp: $(head -n 1 <<<"$listeners" | tr -s ' ')"
    done
    if [[ -z $ours && $listeners != *pid=* ]]; then
        die "Port $CKAN_PORT is already in use (ss -ltnp: $(head -n 1 <<<"$listeners" | tr -s ' ')). Free it, then re-run."
    fi
}

# Stops the process group $2 (started with setsid, so its pid is the group:
# gunicorn's master and workers, the development server's reloader and worker,
# a jobs worker and the job it runs) and removes pid file $3; $1 names it.
stop_group() {
    local what=$1 pid=$2 pid_file=$3
    if [[ -z $pid ]]; then
        rm -f "$pid_file"
        say "$what: not running."
        return
    fi
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait_for 15 process_group_gone "$pid" || kill -KILL -- "-$pid" 2>/dev/null || true
    wait_for 5 process_group_gone "$pid" || die "$what (process group $pid) did not stop."
    rm -f "$pid_file"
    say "$what: stopped (pid $pid)."
}

stop_server() {
    stop_group CKAN "$(our_server_pid)" "$CKAN_PID_FILE"
}

# CKAN's JavaScript strings in each language are files that only `ckan run` writes
# at start-up; gunicorn does not, so they are built here when a catalogue changed.
js_translations_current() {
    local built=$VAR_DIR/storage/i18n/js/km.js
    [[ -f $built && -z $(find "$REPO_DIR/ckanext" "$VENV"/lib/python3*/site-packages/ckan/i18n \
        -name '*.po' -newer "$built" -print -quit) ]]
}

ensure_js_translations() {
    js_translations_current ||
        run_logged "ckan translation js" ckan_cli -c "$CKAN_INI" translation js
}

check_server_settings() {
    [[ $ODCONF_WORKERS =~ ^[1-9][0-9]*$ && $ODCONF_THREADS =~ ^[1-9][0-9]*$ ]] ||
        die "ODCONF_WORKERS and ODCONF_THREADS (make demo WORKERS=... THREADS=...) must be positive integers, got '$ODCONF_WORKERS' and '$ODCONF_THREADS'."
}

start_server() {
    local pid
    if [[ -n $(our_server_pid) ]]; then
        say "CKAN: restarting the running server to pick up code and configuration changes."
        stop_server
    fi
    check_port
    local server
    if [[ -n $ODCONF_DEV_SERVER && $ODCONF_DEV_SERVER != 0 ]]; then
        server=("$VENV/bin/ckan" -c "$CKAN_INI" run -H "$CKAN_HOST" -p "$CKAN_PORT")
        SERVER_DESCRIPTION="CKAN's development server (ckan run)"
    else
        ensure_js_translations
        server=("$VENV/bin/gunicorn" --config "$GUNICORN_CONF" --bind "$CKAN_HOST:$CKAN_PORT")
        SERVER_DESCRIPTION="gunicorn, $ODCONF_WORKERS workers x $ODCONF_THREADS threads"
    fi
    say "CKAN: starting $SERVER_DESCRIPTION on $SITE_URL (log: $CKAN_LOG)"
    (cd "$REPO_DIR" && CKAN_INI=$CKAN_INI ODCONF_WORKERS=$ODCONF_WORKERS ODCONF_THREADS=$ODCONF_THREADS \
        exec setsid nohup "${server[@]}" >"$CKAN_LOG" 2>&1 </dev/null) &
    pid=$!
    printf '%s\n' "$pid" >"$CKAN_PID_FILE"
    await_start CKAN "$pid" "$CKAN_PID_FILE" "$CKAN_LOG" site_answers_or_process_gone "answer on $SITE_URL"
}

# Waits up to 60 s for $1 (pid $2, pid file $3, log $4), just started in the
# background, until the check $5 passes for its pid ($6 says what it checks);
# stops with the end of the log when it does not, or when the process exited.
await_start() {
    local what=$1 pid=$2 pid_file=$3 log=$4 check=$5 expected=$6
    wait_for 60 "$check" "$pid" ||
        die_with_log "$what did not $expected within 60 s (pid $pid still runs)." "$log"
    if process_gone "$pid"; then
        rm -f "$pid_file"
        die_with_log "$what exited during start-up." "$log"
    fi
}

site_answers_or_process_gone() {
    process_gone "$1" || curl -fsS -o /dev/null "$SITE_URL/api/3/action/status_show" 2>/dev/null
}

# --- background worker ----------------------------------------------------------

# Pid of our running `ckan jobs worker`, or nothing.
our_worker_pid() {
    pid_from_file "$WORKER_PID_FILE" 'ckan.* jobs worker'
}

stop_worker() {
    stop_group Worker "$(our_worker_pid)" "$WORKER_PID_FILE"
}

# True once the worker with pid $1 has registered with rq in the demo's Redis
# (or has exited); its log lines depend on ckan.ini's logging levels.
worker_registered_or_gone() {
    process_gone "$1" && return
    local key
    for key in $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$DEMO_REDIS_DB" --raw SMEMBERS rq:workers 2>/dev/null); do
        [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$DEMO_REDIS_DB" --raw HGET "$key" pid 2>/dev/null) == "$1" ]] && return
    done
    return 1
}

# One `ckan jobs worker` on the default queue: the link checks of new and
# edited entries, and of `ckan odconf check-links`.
start_worker() {
    local pid
    [[ -z $(our_worker_pid) ]] || stop_worker
    say "Worker: starting ckan jobs worker (log: $WORKER_LOG)"
    (cd "$REPO_DIR" && exec setsid nohup "$VENV/bin/ckan" -c "$CKAN_INI" jobs worker \
        >"$WORKER_LOG" 2>&1 </dev/null) &
    pid=$!
    printf '%s\n' "$pid" >"$WORKER_PID_FILE"
    await_start "The worker" "$pid" "$WORKER_PID_FILE" "$WORKER_LOG" worker_registered_or_gone "register with Redis"
}

# --- demo site ----------------------------------------------------------------

# The plugin list lives in test.ini only; the demo reads it from there.
test_ini_plugins() {
    sed -n 's/^ckan\.plugins[[:space:]]*=[[:space:]]*//p' "$TEST_INI"
}

write_ckan_ini() {
    if [[ -f $CKAN_INI ]]; then
        say "CKAN: keeping the existing $CKAN_INI"
        return
    fi
    local plugins
    plugins=$(test_ini_plugins)
    [[ -n $plugins ]] || die "No ckan.plugins line found in $TEST_INI."
    say "CKAN: writing $CKAN_INI"
    run_logged "ckan generate config" ckan_cli generate config "$CKAN_INI"
    run_logged "ckan config-tool" ckan_cli config-tool "$CKAN_INI" \
        "sqlalchemy.url = postgresql://$DB_ROLE:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DEMO_DB" \
        "ckan.site_url = $SITE_URL" \
        "ckan.redis.url = redis://$REDIS_HOST:$REDIS_PORT/$DEMO_REDIS_DB" \
        "ckan.storage_path = $VAR_DIR/storage" \
        "ckan.plugins = $plugins" \
        "ckan.locales_offered = en km" \
        "ckan.locale_default = en"
}

init_database() {
    local ini=$1
    say "CKAN: database schema and migrations ($(basename "$ini"))"
    run_logged "ckan -c $(basename "$ini") db init" ckan_cli -c "$ini" db init
    run_logged "ckan -c $(basename "$ini") db upgrade -p odconf_search" ckan_cli -c "$ini" db upgrade -p odconf_search
    run_logged "ckan -c $(basename "$ini") db upgrade -p odconf" ckan_cli -c "$ini" db upgrade -p odconf
}

# Prints "t" or "f" for an existing user (sysadmin flag), nothing when it does not exist.
# A direct query: three CKAN commands would cost seconds on every re-run.
admin_state() {
    psql_project "$DEMO_DB" -Atc "SELECT sysadmin FROM \"user\" WHERE name = '$ADMIN_NAME' AND state = 'active'"
}

ensure_sysadmin() {
    local password state
    state=$(admin_state)
    if [[ -s $ADMIN_PASSWORD_FILE && -n $state ]]; then
        [[ $state == t ]] || run_logged "ckan sysadmin add" ckan_cli -c "$CKAN_INI" sysadmin add "$ADMIN_NAME"
        say "CKAN: sysadmin $ADMIN_NAME exists."
        return
    fi
    if [[ ! -s $ADMIN_PASSWORD_FILE ]]; then
        (umask 077 && head -c 12 /dev/urandom | base64 | tr -d '+/=' >"$ADMIN_PASSWORD_FILE")
    fi
    password=$(<"$ADMIN_PASSWORD_FILE")
    if [[ -z $state ]]; then
        say "CKAN: creating sysadmin $ADMIN_NAME"
        run_logged "ckan user add" ckan_cli -c "$CKAN_INI" user add "$ADMIN_NAME" \
            "email=$ADMIN_EMAIL" "password=$password" "fullname=Demo administrator"
    else
        say "CKAN: setting a new password for $ADMIN_NAME (the stored one was missing)"
        run_logged "ckan user setpass" ckan_cli -c "$CKAN_INI" user setpass "$ADMIN_NAME" "--password=$password"
    fi
    run_logged "ckan sysadmin add" ckan_cli -c "$CKAN_INI" sysadmin add "$ADMIN_NAME"
}

load_programme() {
    if [[ ! -f $REPO_DIR/$PROGRAMME ]]; then
        say "Programme: not loaded, $PROGRAMME does not exist yet."
        return
    fi
    say "Programme: loading $PROGRAMME"
    run_logged "ckan odconf load" ckan_cli -c "$CKAN_INI" odconf load "$REPO_DIR/$PROGRAMME" --examples
}

token_works() {
    curl -fsS -H "Authorization: $1" "$SITE_URL/api/3/action/api_token_list?user_id=$ADMIN_NAME" 2>/dev/null |
        grep -q '"success": true'
}

# Reuses the stored API token while the site accepts it, else creates one.
ensure_api_token() {
    if [[ -s $API_TOKEN_FILE ]] && token_works "$(<"$API_TOKEN_FILE")"; then
        return
    fi
    say "CKAN: creating an API token for $ADMIN_NAME"
    local output
    output=$(ckan_cli -c "$CKAN_INI" user token add "$ADMIN_NAME" demo 2>>"$LOG") ||
        die "ckan user token add failed, see $LOG"
    (umask 077 && tail -n 1 <<<"$output" | tr -d '[:space:]' >"$API_TOKEN_FILE")
    token_works "$(<"$API_TOKEN_FILE")" || die "The new API token is not accepted by $SITE_URL (see $CKAN_LOG)."
}

# Calls an API action with the admin's token; prints the "result" of the JSON answer.
api_result() {
    local action=$1 body=$2
    curl -fsS -H "Authorization: $(<"$API_TOKEN_FILE")" -H "Content-Type: application/json" \
        -d "$body" "$SITE_URL/api/3/action/$action" |
        "$VENV/bin/python" -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["result"]))'
}

# CKAN refuses datasets without an organization: the example uses the first one,
# and a "demo" organization is created when there is none yet.
example_organization() {
    local first
    first=$(api_result organization_list '{"limit": 1}' | tr -d '[]"')
    if [[ -z $first ]]; then
        api_result organization_create '{"name": "demo", "title": "Demo organization"}' >/dev/null ||
            die "Could not create the demo organization (see $CKAN_LOG)."
        first=demo
    fi
    printf '%s\n' "$first"
}

print_demo_summary() {
    local token password organization
    token=$(<"$API_TOKEN_FILE")
    password=$(<"$ADMIN_PASSWORD_FILE")
    organization=$(example_organization)
    cat <<EOF

CKAN with ckanext-odconf is running: $SERVER_DESCRIPTION (pid $(<"$CKAN_PID_FILE"), log $CKAN_LOG).
  Worker:     ckan jobs worker (pid $(<"$WORKER_PID_FILE"), log $WORKER_LOG): link checks
  Site:       $SITE_URL/
  Datasets:   $SITE_URL/dataset
  API:        $SITE_URL/api/3/action/status_show
  Log in:     $SITE_URL/user/login  as $ADMIN_NAME, password $password  (stored in ${ADMIN_PASSWORD_FILE#"$REPO_DIR"/})
  API token:  $token  (stored in ${API_TOKEN_FILE#"$REPO_DIR"/})
  Create a dataset:
    curl -s -H "Authorization: $token" -H "Content-Type: application/json" -d '{"name": "my-dataset", "title": "My dataset", "owner_org": "$organization", "license_id": "cc-by"}' $SITE_URL/api/3/action/package_create
  Stop: make stop
EOF
}

# --- sub-commands -------------------------------------------------------------

cmd_setup() {
    setup "$DEMO_DB" "$TEST_DB"
}

cmd_demo() {
    local started=$SECONDS
    check_server_settings
    setup "$DEMO_DB"
    check_port
    write_ckan_ini
    init_database "$CKAN_INI"
    mkdir -p "$VAR_DIR/storage"
    ensure_sysadmin
    load_programme
    start_server
    start_worker
    ensure_api_token
    print_demo_summary
    say "make demo finished in $((SECONDS - started)) s."
}

cmd_test_env() {
    setup "$TEST_DB"
    mkdir -p "$VAR_DIR/test-storage"
    init_database "$TEST_INI"
}

cmd_test() {
    local started=$SECONDS status=0 pytest=("$VENV/bin/pytest")
    cmd_test_env
    # Types first: a type error fails the run before any test (settings in pyproject.toml).
    say "Running mypy"
    (cd "$REPO_DIR" && "$VENV/bin/mypy") || die "mypy found type errors (see above)."
    # PYTEST_ARGS is split like a shell command line, so -k "a and b" stays one argument.
    eval "pytest+=(${PYTEST_ARGS:-})"
    pytest+=("$@")
    say "Running ${pytest[*]#"$REPO_DIR"/}"
    (cd "$REPO_DIR" && "${pytest[@]}") || status=$?
    say "make test finished in $((SECONDS - started)) s, pytest exit code $status."
    return "$status"
}

stop_redis() {
    local pid_file=$REDIS_DIR/redis.pid pid
    pid=$(cat "$pid_file" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q redis-server; then
        kill -TERM "$pid"
        wait_for 10 process_gone "$pid" || die "Redis (pid $pid) did not stop within 10 s."
        say "Redis: stopped (pid $pid, started by this script)."
    else
        say "Redis: not started by this script, left as it is."
    fi
    rm -f "$pid_file"
}

cmd_stop() {
    stop_worker
    stop_server
    stop_redis
    local version
    version=$(pg_version)
    say "PostgreSQL: left running (other databases may use it); stop it with: pg_ctlcluster ${version:-VERSION} $PG_CLUSTER stop"
}

usage() {
    sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

main() {
    local command=${1:-}
    [[ $# -gt 0 ]] && shift
    mkdir -p "$VAR_DIR"
    case $command in
        setup) cmd_setup ;;
        demo) cmd_demo ;;
        test-env) cmd_test_env ;;
        test) cmd_test "$@" ;;
        stop) cmd_stop ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
