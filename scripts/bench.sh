#!/usr/bin/env bash
# Benchmark: case submissions per second and p50/p99 latency against PostgreSQL,
# beside the machine's ceiling for one durable insert transaction, both measured
# in this run.
#
#   1. PostgreSQL on 127.0.0.1:5432 (started when down); a fresh database etj_bench_<time>.
#   2. The backend and the load generator (tests/bench) built in the bench-server profile.
#   3. The backend started on that database (a free port); a service with a published
#      two-page form of nine fields (one conditional) created through the HTTP API;
#      an applicant token from the development login.
#   4. Ceiling: pgbench, 64 clients, one single-row INSERT (a uuid and a jsonb payload
#      the size of a submission's answers) per transaction, default synchronous_commit.
#   5. Load: 64 clients POST /api/v1/catalogue/{slug}/cases for 30 s (after a 3 s warm-up
#      that is not counted), each with a fresh Idempotency-Key.
#   6. The backend is stopped, the database dropped; the figures are written to
#      bench-results/latest.json and printed as a table.
#
# Targets: submissions/s >= 50 % of the ceiling; p99 < 100 ms. The script exits 0
# when the run completed, whether or not the targets were met (BENCH_STRICT=1: exit 2
# when one is missed).
#
# Environment (all optional):
#   BENCH_SECONDS=30          measured seconds of the load run
#   BENCH_CEILING_SECONDS     seconds of the pgbench run (default: BENCH_SECONDS)
#   BENCH_WARMUP=3            warm-up seconds before the load is measured
#   BENCH_CLIENTS=64          concurrent clients, in both runs
#   BENCH_POOL=16             the backend's database connection pool
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432   server to use (trust auth)
#   BENCH_OUT=bench-results/latest.json
#   BENCH_SKIP_BUILD=1        use the binaries already built
#   BENCH_STRICT=1            exit 2 when a target is missed
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

LOAD_SECONDS="${BENCH_SECONDS:-30}"
CEILING_SECONDS="${BENCH_CEILING_SECONDS:-$LOAD_SECONDS}"
WARMUP="${BENCH_WARMUP:-3}"
CLIENTS="${BENCH_CLIENTS:-64}"
POOL="${BENCH_POOL:-16}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="${BENCH_OUT:-bench-results/latest.json}"
SLUG="felanmalan"
ADMIN_USER="benchadmin"
ADMIN_PASSWORD="bench-admin-password-$RANDOM$RANDOM"
JWT_SECRET="bench-jwt-secret-$(date +%s%N)-0123456789abcdef"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN_DIR="$TARGET_DIR/bench-server"

for tool in psql pgbench curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install -y postgresql-client curl)"
done
case "$PG_URL" in
  postgres://*@127.0.0.1:* | postgres://*@localhost:*) ;;
  *) die "BENCH_PG_URL must point at 127.0.0.1 or localhost" ;;
esac

DB="etj_bench_$(date +%Y%m%d_%H%M%S)_$$"
WORK="$(mktemp -d)"
BACKEND_PID=""
DB_CREATED=""

cleanup() {
  local rc=$?
  set +e
  if [ -n "$BACKEND_PID" ] && kill -0 "$BACKEND_PID" 2>/dev/null; then
    kill "$BACKEND_PID" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$BACKEND_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$BACKEND_PID" 2>/dev/null
    wait "$BACKEND_PID" 2>/dev/null
  fi
  if [ -n "$DB_CREATED" ]; then
    psql "$PG_URL/postgres" -qAtc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 ||
      printf 'warning: could not drop database %s\n' "$DB" >&2
  fi
  if [ "$rc" -ne 0 ] && [ -s "$WORK/backend.log" ]; then
    printf -- '--- last lines of the backend log ---\n' >&2
    tail -n 20 "$WORK/backend.log" >&2
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. PostgreSQL and a fresh database ---------------------------------------
ensure_postgres
say "Creating database $DB"
psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qAtc "CREATE DATABASE \"$DB\"" >/dev/null
DB_CREATED=1
DB_URL="$PG_URL/$DB"
PG_VERSION="$(psql "$DB_URL" -qAtc "SHOW server_version")"
SYNC_COMMIT="$(psql "$DB_URL" -qAtc "SHOW synchronous_commit")"
[ "$SYNC_COMMIT" = "on" ] || say "warning: synchronous_commit is '$SYNC_COMMIT', not 'on': commits are not durable"

# --- 2. Build -----------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  say "Building the backend and the load generator (profile bench-server)"
  # Two builds: built together, cargo would unify the backend's reqwest features
  # (rustls without a crypto provider) into the load generator's, which then panics.
  cargo build --locked --profile bench-server -p backend
  cargo build --locked --profile bench-server -p bench
fi
[ -x "$BIN_DIR/backend" ] && [ -x "$BIN_DIR/bench" ] || die "binaries missing in $BIN_DIR"

# --- 3. Backend and seed data ---------------------------------------------------
say "Starting the backend (pool: $POOL connections)"
DATABASE_URL="$DB_URL" \
  APP_SERVER__HOST=127.0.0.1 \
  APP_SERVER__PORT=0 \
  APP_AUTH__JWT_SECRET="$JWT_SECRET" \
  APP_IDENTITY__DEV_PROVIDER=true \
  APP_DATABASE__MAX_CONNECTIONS="$POOL" \
  APP_BOOTSTRAP__ADMIN_USERNAME="$ADMIN_USER" \
  APP_BOOTSTRAP__ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  APP_FRONTEND__DIST_DIR="$WORK/no-dist" \
  RUST_LOG=warn \
  "$BIN_DIR/backend" serve >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
BASE=""
for _ in $(seq 1 600); do
  BASE="$(sed -n 's|^Listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$WORK/backend.log" | head -n1)"
  [ -n "$BASE" ] && break
  kill -0 "$BACKEND_PID" 2>/dev/null || die "the backend exited"
  sleep 0.1
done
[ -n "$BASE" ] || die "the backend did not start within 60 s"
say "Backend at $BASE"

# POST path body [token]: prints the body; fails unless the status is 2xx.
api() {
  local path=$1 body=$2 token=${3:-} status
  local auth=()
  [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
  status="$(curl -sS --noproxy '*' -o "$WORK/resp" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' "${auth[@]}" --data-binary "$body" "$BASE$path")"
  case "$status" in
    2??) cat "$WORK/resp" ;;
    *) die "POST $path answered $status: $(head -c 500 "$WORK/resp")" ;;
  esac
}
token_of() { sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'; }

say "Seeding: service '$SLUG' with a published form, an applicant"
STAFF_TOKEN="$(api /api/v1/auth/staff/token "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" | token_of)"
[ -n "$STAFF_TOKEN" ] || die "no staff token"
api /api/v1/services "$(cat <<EOF
{
  "slug": "$SLUG",
  "name": "Felanmälan gata och park",
  "audience": "Alla som ser ett fel på gator, trottoarer, parker eller belysning i kommunen.",
  "first_page_text": "Här anmäler du fel på gator, trottoarer, parker och gatubelysning.",
  "last_page_text": "Tack! Vi har tagit emot din felanmälan.",
  "privacy_text": "Vi behandlar dina personuppgifter enligt GDPR för att kunna åtgärda felet och kontakta dig.",
  "confirmation_email_subject": "Vi har tagit emot din felanmälan",
  "confirmation_email_body": "Logga in på Min sida för att följa ärendet.",
  "handler_mailbox": "gatuforvaltningen@example.org",
  "identity": "e_id",
  "retention_days_after_closing": 30
}
EOF
)" "$STAFF_TOKEN" >/dev/null
api "/api/v1/services/$SLUG/forms" "{\"definition\": $("$BIN_DIR/bench" form)}" "$STAFF_TOKEN" >/dev/null
api "/api/v1/services/$SLUG/forms/1/publish" '{}' "$STAFF_TOKEN" >/dev/null
APPLICANT_TOKEN="$(api /api/v1/auth/dev/token '{"personnummer":"189001019802"}' | token_of)"
[ -n "$APPLICANT_TOKEN" ] || die "no applicant token"
# One submission by hand: the load generator's answers must be accepted.
api "/api/v1/catalogue/$SLUG/cases" "{\"form_version\": 1, \"answers\": $("$BIN_DIR/bench" answers)}" "$APPLICANT_TOKEN" >/dev/null

# --- 4. Ceiling: one durable single-row insert per transaction ------------------
say "Ceiling: pgbench, $CLIENTS clients, ${CEILING_SECONDS} s, one INSERT per transaction"
psql "$DB_URL" -v ON_ERROR_STOP=1 -qc \
  "CREATE TABLE bench_ceiling (id uuid PRIMARY KEY, payload jsonb NOT NULL)" >/dev/null
PAYLOAD="$("$BIN_DIR/bench" answers | tr -d '\n' | sed "s/'/''/g")"
printf "INSERT INTO bench_ceiling (id, payload) VALUES (gen_random_uuid(), '%s'::jsonb);\n" \
  "$PAYLOAD" >"$WORK/ceiling.sql"
psql "$DB_URL" -qc "CHECKPOINT" >/dev/null
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
pgbench -n -c "$CLIENTS" -j 2 -T "$CEILING_SECONDS" -f "$WORK/ceiling.sql" "$DB_URL" >"$WORK/pgbench.out" 2>&1 ||
  die "pgbench failed: $(tail -n 5 "$WORK/pgbench.out")"
CEILING_TPS="$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$WORK/pgbench.out" | head -n1)"
CEILING_LAT="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$WORK/pgbench.out" | head -n1)"
[ -n "$CEILING_TPS" ] || die "no tps in the pgbench output: $(cat "$WORK/pgbench.out")"
say "Ceiling: $CEILING_TPS tps (average latency ${CEILING_LAT:-?} ms)"

# --- 5. Load ------------------------------------------------------------------
say "Load: $CLIENTS clients, ${WARMUP} s warm-up, ${LOAD_SECONDS} s measured"
psql "$DB_URL" -qc "CHECKPOINT" >/dev/null
META="$(cat <<EOF
{"database": "PostgreSQL $PG_VERSION", "synchronous_commit": "$SYNC_COMMIT",
 "backend_pool": $POOL, "cpus": $(nproc), "loadavg_before": "$LOAD_BEFORE",
 "ceiling_seconds": $CEILING_SECONDS, "ceiling_latency_avg_ms": ${CEILING_LAT:-null},
 "ceiling_method": "pgbench -n -c $CLIENTS -j 2 -T $CEILING_SECONDS: INSERT INTO bench_ceiling (uuid, jsonb of $(printf '%s' "$PAYLOAD" | wc -c) bytes), one per transaction",
 "commit": "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')",
 "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
EOF
)"
STRICT=()
[ "${BENCH_STRICT:-}" = 1 ] && STRICT=(--strict)
set +e
BENCH_TOKEN="$APPLICANT_TOKEN" "$BIN_DIR/bench" run --url "$BASE" --slug "$SLUG" --form-version 1 \
  --concurrency "$CLIENTS" --duration "$LOAD_SECONDS" --warmup "$WARMUP" \
  --ceiling-tps "$CEILING_TPS" --meta "$META" --markdown "$WORK/table.md" "${STRICT[@]}" >"$WORK/result.json"
BENCH_RC=$?
set -e
[ "$BENCH_RC" -eq 0 ] || [ "$BENCH_RC" -eq 2 ] || die "the load generator failed"
CASES="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM cases" 2>/dev/null || echo '?')"

# --- 6. Results ---------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
cp "$WORK/result.json" "$OUT"
say "Results ($CASES cases stored) in $OUT"
echo
cat "$WORK/table.md"
exit "$BENCH_RC"
