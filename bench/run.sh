#!/usr/bin/env bash
# `make bench`: throughput of the public portal and of every logged-in page of the walk under
# gunicorn with the production settings, each beside the ceiling (/__bench__/ping), on a
# throwaway PostgreSQL database and Redis DB 15 of this machine. See bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=$ROOT/.venv/bin
OUT=$ROOT/bench/output
PORT=8765
BASE=http://127.0.0.1:$PORT
DB=portal_bench
STARTED=$(date +%s)
# wrk's seconds per page: the anonymous pages, the ceiling and the issue-21 goal pages get
# WRK_SECONDS, every other logged-in page WRK_SECONDS_EXTRA (to keep the run's length).
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
WRK_SECONDS_EXTRA=${BENCH_WRK_SECONDS_EXTRA:-5}
# The reviewer queue is measured again with this many filings in the batch (0: not).
LARGE_FILINGS=${BENCH_LARGE_FILINGS:-100000}

step() { printf '\n== %s\n' "$*"; }

# --- Services -------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1; then
    step "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    pg_isready -h 127.0.0.1
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    step "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
fi
if ! command -v wrk >/dev/null; then
    step "Installing wrk"
    apt-get update -qq
    apt-get install -y -qq wrk
fi

# --- Environment: production settings, loopback services ------------------------------
DJANGO_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))')
export DJANGO_SECRET_KEY
FIELD_ENCRYPTION_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')
export FIELD_ENCRYPTION_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SETTINGS_MODULE=bench.settings
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/15
export STATIC_ROOT=$OUT/static
export MEDIA_ROOT=$OUT/media
export PRIVATE_MEDIA_ROOT=$OUT/private_media
export LOG_LEVEL=WARNING

rm -rf "$OUT"
mkdir -p "$OUT"
LOG=$OUT/setup.log

step "Fresh database $DB and Redis DB 15"
psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 -c "SET client_min_messages TO WARNING" \
    -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis-cli -h 127.0.0.1 -p 6379 -n 15 flushdb >/dev/null

step "migrate, collectstatic, load_demo_content, 500 more notices, 10,000 more points filings (log: bench/output/setup.log)"
"$BIN/python" manage.py migrate --noinput >>"$LOG" 2>&1
"$BIN/python" manage.py collectstatic --noinput >>"$LOG" 2>&1
"$BIN/python" manage.py load_demo_content >>"$LOG" 2>&1
"$BIN/python" bench/seed_more.py | tee -a "$LOG"
"$BIN/python" bench/seed_filings.py | tee -a "$LOG"
# Planner statistics as a live database has them (autovacuum would get there, at some point
# of the run or not): without them the 10,000 bulk-inserted rows are planned as 16.
psql -h 127.0.0.1 -U postgres -d $DB -q -c "VACUUM ANALYZE"

step "SQL queries of an uncached render"
"$BIN/python" bench/querycounts.py >"$OUT/querycounts.tsv"
# One entry per page and account ("<who> <url>": "/" is read anonymously and as the enterprise).
declare -A URL=() QUERIES=() WHO=()
PAGES=()
while IFS=$'\t' read -r url count who; do
    PAGES+=("$who $url")
    URL["$who $url"]=$url
    QUERIES["$who $url"]=$count
    WHO["$who $url"]=$who
    printf '  %-60s %4s  %s\n' "$url" "$count" "$who"
done <"$OUT/querycounts.tsv"
QUEUE_URL=$(awk -F'\t' '$1 ~ /^\/admin\/points\/\?batch=/ {print $1; exit}' "$OUT/querycounts.tsv")
FILING_URL=$(awk -F'\t' '$1 ~ /^\/enterprise\/filings\/[0-9]+\/$/ {print $1; exit}' "$OUT/querycounts.tsv")
# The pages the goals of README's table are set for, measured as long as the anonymous ones.
declare -A MAIN=([enterprise /enterprise/]=1 [enterprise /enterprise/filings/]=1 [enterprise $FILING_URL]=1
                 [reviewer $QUEUE_URL]=1)

step "Logged-in sessions (bench/sessions.py), sent to wrk as the sessionid cookie"
SESSIONS=$("$BIN/python" bench/sessions.py)
declare -A COOKIE=([anonymous]="")
while IFS=$'\t' read -r who key; do
    COOKIE[$who]="sessionid=$key"
    printf '  %s\n' "$who"
done <<<"$SESSIONS"

# --- Server ---------------------------------------------------------------------------
step "gunicorn, 2 workers, on $BASE"
redis-cli -h 127.0.0.1 -p 6379 -n 15 flushdb >/dev/null
GUNICORN_PID=
cleanup() {
    if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
start_gunicorn() {
    "$BIN/gunicorn" portal.wsgi:application --workers 2 --bind 127.0.0.1:$PORT \
        --log-level warning >>"$OUT/gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
    for _ in $(seq 60); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/") == 200 ]] && break
        kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$OUT/gunicorn.log"; exit 1; }
        sleep 0.5
    done
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/") == 200 ]] \
        || { echo "gunicorn never answered /health/ with 200" >&2; cat "$OUT/gunicorn.log"; exit 1; }
}
start_gunicorn

# --- Load -----------------------------------------------------------------------------
declare -A RPS=() P50=() P99=() NOTE=() KEY=()
# wrk_page KEY URL WHO SECONDS: loads URL as WHO (after a 2 s warm-up) and keeps req/s, p50,
# p99 and any non-2xx or socket errors under KEY.
wrk_page() {
    local key=$1 url=$2 who=$3 seconds=$4 status result
    [[ -v COOKIE[$who] ]] || { echo "no session for $who ($url)" >&2; exit 1; }
    HEADER=()
    [[ -n ${COOKIE[$who]} ]] && HEADER=(-H "Cookie: ${COOKIE[$who]}")
    status=$(curl -s -o /dev/null -w '%{http_code}' "${HEADER[@]}" "$BASE$url")
    [[ $status == 200 ]] || { echo "$url ($who) answered $status, not 200" >&2; exit 1; }
    step "wrk $url ($who, ${seconds}s)"
    wrk -t2 -c16 -d2s --timeout 10s "${HEADER[@]}" "$BASE$url" >/dev/null
    result=$(wrk -t2 -c16 -d"${seconds}s" --timeout 10s --latency "${HEADER[@]}" "$BASE$url")
    printf '%s\n' "$result" >>"$OUT/wrk.log"
    RPS[$key]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$result")
    P50[$key]=$(awk '$1 == "50%" {print $2}' <<<"$result")
    P99[$key]=$(awk '$1 == "99%" {print $2}' <<<"$result")
    NOTE[$key]=$(awk '/Non-2xx or 3xx responses:/ {printf " non-2xx:%s", $NF} /Socket errors:/ {sub(/^ *Socket errors: */, ""); printf " socket errors: %s", $0}' <<<"$result")
    printf '  %s req/s, p50 %s, p99 %s%s\n' "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${NOTE[$key]}"
}
# share KEY CEILING: KEY's req/s as a percentage of CEILING's.
share() { awk -v page="${RPS[$1]}" -v ceiling="${RPS[$2]}" 'BEGIN {if (ceiling > 0) printf "%.1f", 100 * page / ceiling}'; }

# The ceiling before the pages and again after them: the share of each page is taken from
# their mean, which the report prints with both.
wrk_page ping-before /__bench__/ping anonymous "$WRK_SECONDS"
for page in "${PAGES[@]}"; do
    seconds=$WRK_SECONDS_EXTRA
    [[ ${WHO[$page]} == anonymous || -v MAIN[$page] ]] && seconds=$WRK_SECONDS
    wrk_page "$page" "${URL[$page]}" "${WHO[$page]}" "$seconds"
done
wrk_page ping-after /__bench__/ping anonymous "$WRK_SECONDS"
RPS[ping]=$(( (${RPS[ping-before]} + ${RPS[ping-after]}) / 2 ))
CACHED_PAGES=$(redis-cli -h 127.0.0.1 -p 6379 -n 15 --scan --pattern '*pagecache:*' | grep -vc ':generation$' || true)

# --- Report ---------------------------------------------------------------------------
queue_size() {
    psql -h 127.0.0.1 -U postgres -d $DB -Atc "SELECT count(*) FROM enterprise_business_pointsfiling f
        JOIN enterprise_business_batch b ON b.id = f.batch_id WHERE b.data_year = 2025 AND f.submitted_at IS NOT NULL"
}
ROW='%-60s %-10s %8s %9s %10s %10s %8s%s\n'
{
    echo "make bench — $(date '+%Y-%m-%d %H:%M') — $(nproc) CPU, gunicorn 2 sync workers, wrk -t2 -c16 --timeout 10s," \
        "${WRK_SECONDS}s a page (${WRK_SECONDS_EXTRA}s for the logged-in pages beyond the goals' four)"
    echo "notices in the database: $(psql -h 127.0.0.1 -U postgres -d $DB -Atc 'SELECT count(*) FROM notices_noticepage')"
    echo "points filings in the 2025 batch (review queue): $(queue_size)"
    echo "ceiling /__bench__/ping: ${RPS[ping-before]} req/s before the pages, ${RPS[ping-after]} after;" \
        "share = a page's req/s over their mean, ${RPS[ping]}"
    printf "$ROW" URL as "req/s" "share %" p50 p99 "SQL" ""
    for page in "${PAGES[@]}"; do
        printf "$ROW" "${URL[$page]}" "${WHO[$page]}" "${RPS[$page]}" "$(share "$page" ping)" "${P50[$page]}" \
            "${P99[$page]}" "${QUERIES[$page]}" "${NOTE[$page]}"
    done
    echo "Anonymous pages are served from the Redis page cache after their first render; the SQL" \
        "column counts an uncached render (first visit, or after anything is published)."
    echo "Logged-in pages are never page-cached: every request renders from the database; the session" \
        "is read from Redis (cached_db) and written at most once a minute (portal.core.sessions): not in the SQL column."
    echo "Page cache entries in Redis after the run: $CACHED_PAGES (expected: one per anonymous page URL above)."
} | tee "$OUT/results.txt.tmp"
mv "$OUT/results.txt.tmp" "$OUT/results.txt"

# --- The filing-deadline peak, floods, faults, backup and restore (README: Load and failure) --
CHECKS_FAILED=()
USERS=${BENCH_USERS:-100}
RUN_TIME=${BENCH_RUN_TIME:-60s}
export BENCH_P95_MS=${BENCH_P95_MS:-1500}
step "Load-test accounts and sessions (bench/load_users.py)"
"$BIN/python" bench/load_users.py --enterprises 3000 --reviewers 5 --out "$OUT/load_users.json" | tee -a "$LOG"

step "Locust: the filing-deadline peak, $USERS users for $RUN_TIME (80 % public pages, 15 % enterprises filing, 5 % reviewers)"
BENCH_LOAD_DATA=$OUT/load_users.json BENCH_LOAD_RESULT=$OUT/load.json \
    "$BIN/locust" -f bench/locustfile.py --headless --users "$USERS" --spawn-rate 20 --run-time "$RUN_TIME" \
    --host "$BASE" --only-summary --loglevel WARNING --csv "$OUT/locust" >"$OUT/locust.log" 2>&1 \
    || CHECKS_FAILED+=(load)
awk '/requests   req\/s/ {on = 1} on {print} /^(PASS|FAIL)/ {exit}' "$OUT/locust.log" | tee "$OUT/load.txt"
[[ -s $OUT/load.txt ]] || { tail -n 30 "$OUT/locust.log"; CHECKS_FAILED+=(load); }

step "Flood run (bench/flood.py): the login and SMS endpoints, one loopback address per scenario"
FLOOD_ACCOUNT=$("$BIN/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["enterprises"][-1]["username"])' \
    "$OUT/load_users.json")
BENCH_FLOOD_RESULT=$OUT/flood.json "$BIN/python" bench/flood.py "$BASE" "$FLOOD_ACCOUNT" 13700000001 \
    | tee "$OUT/flood.txt" || CHECKS_FAILED+=(flood)

step "Faults (bench/faults.py): PostgreSQL restarted mid-load, then the S3 endpoint and the SMS gateway down"
BENCH_OUTPUT=$OUT BENCH_FAULTS_RESULT=$OUT/faults.json "$BIN/python" bench/faults.py $DB \
    | tee "$OUT/faults.txt" || CHECKS_FAILED+=(faults)

step "Backup and restore drill (scripts/backup.py, then scripts/restore.py --drill into ${DB}_drill)"
{ "$BIN/python" scripts/backup.py --out "$OUT/backup" && "$BIN/python" scripts/restore.py "$OUT/backup" --drill; } \
    | tee "$OUT/backup.txt" || CHECKS_FAILED+=(restore)

{
    echo
    echo "Filing-deadline peak: Locust, $USERS users (weights 80/15/5) for $RUN_TIME against the gunicorn above;" \
        "fails above 1 % errors or p95 > $BENCH_P95_MS ms"
    cat "$OUT/load.txt"
    echo "Flood run (first 429 = the request that got it):"
    cat "$OUT/flood.txt"
    echo "Faults:"
    cat "$OUT/faults.txt"
    echo "Backup and restore drill:"
    cat "$OUT/backup.txt"
} >>"$OUT/results.txt"

# --- The reviewer queue at 100,000 filings -----------------------------------------------
# Last of the gunicorn runs: the peak, floods, faults and backup above work on the 10,000.
if ((LARGE_FILINGS > 0)); then
    step "Reviewer queue at $LARGE_FILINGS filings: seeding (bench/seed_filings.py), VACUUM ANALYZE, wrk"
    BENCH_EXTRA_FILINGS=$LARGE_FILINGS "$BIN/python" bench/seed_filings.py | tee -a "$LOG"
    psql -h 127.0.0.1 -U postgres -d $DB -q -c "VACUUM ANALYZE"
    LARGE_QUERIES=$("$BIN/python" bench/querycounts.py --only reviewer | awk -F'\t' -v url="$QUEUE_URL" '$1 == url {print $2}')
    wrk_page ping-large /__bench__/ping anonymous "$WRK_SECONDS"
    wrk_page queue-large "$QUEUE_URL" reviewer "$WRK_SECONDS"
    {
        echo
        echo "Reviewer queue at $(queue_size) filings in the 2025 batch, beside the ceiling measured just before it:"
        printf "$ROW" URL as "req/s" "share %" p50 p99 "SQL" ""
        printf "$ROW" /__bench__/ping anonymous "${RPS[ping-large]}" 100.0 "${P50[ping-large]}" "${P99[ping-large]}" - ""
        printf "$ROW" "$QUEUE_URL" reviewer "${RPS[queue-large]}" "$(share queue-large ping-large)" \
            "${P50[queue-large]}" "${P99[queue-large]}" "$LARGE_QUERIES" "${NOTE[queue-large]}"
        [[ $LARGE_QUERIES == "${QUERIES[reviewer $QUEUE_URL]}" ]] || echo "FAIL: the queue takes" \
            "$LARGE_QUERIES queries at this size, ${QUERIES[reviewer $QUEUE_URL]} at the first"
    } | tee -a "$OUT/results.txt"
    [[ $LARGE_QUERIES == "${QUERIES[reviewer $QUEUE_URL]}" ]] || CHECKS_FAILED+=(queue-queries)
fi

# --- Scoring engine -------------------------------------------------------------------
step "Scoring engine: runs over 100,000 and 520,000 enterprises (bench/scoring.py; seeding takes minutes)"
cleanup  # gunicorn is done: the run gets both cores
"$BIN/python" bench/scoring.py | tee -a "$OUT/results.txt"

# --- The same run on a worker, under the filing-deadline load ----------------------------
step "The 520,000-enterprise run through a db_worker during the Locust peak (bench/run_under_load.py)"
start_gunicorn
{ echo; echo "The largest run on a background worker while $USERS Locust users load the site (p95 by kind, without and during the run):"; } \
    >>"$OUT/results.txt"
"$BIN/python" bench/run_under_load.py "$BASE" --users "$USERS" --out "$OUT" | tee -a "$OUT/results.txt" \
    || CHECKS_FAILED+=(run-under-load)
cleanup
echo
echo "Written to bench/output/results.txt; total $(($(date +%s) - STARTED)) s."
if ((${#CHECKS_FAILED[@]})); then
    echo "FAILED: ${CHECKS_FAILED[*]} (see above and bench/output/)" >&2
    exit 1
fi
