# Shared by the benchmark scripts (sourced after scripts/lib.sh): a fresh PostgreSQL
# database, the bench-server build, starting and stopping the backend, and seeding the
# benchmark's service and applicant through the HTTP API.
#
# Reads: PG_URL, POOL, SLUG; sets DB, DB_URL, WORK, BIN_DIR, BASE, STAFF_TOKEN, APPLICANT_TOKEN.

ADMIN_USER="benchadmin"
ADMIN_PASSWORD="bench-admin-password-$RANDOM$RANDOM"
JWT_SECRET="bench-jwt-secret-$(date +%s%N)-0123456789abcdef"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN_DIR="$TARGET_DIR/bench-server"
DB="etj_bench_$(date +%Y%m%d_%H%M%S)_$$"
WORK="$(mktemp -d)"
BACKEND_PID=""
DB_CREATED=""
EXTRA_PIDS=()

for tool in psql pgbench curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install -y postgresql-client curl)"
done
case "$PG_URL" in
  postgres://*@127.0.0.1:* | postgres://*@localhost:*) ;;
  *) die "BENCH_PG_URL must point at 127.0.0.1 or localhost" ;;
esac

bench_stop_backend() {
  if [ -n "$BACKEND_PID" ] && kill -0 "$BACKEND_PID" 2>/dev/null; then
    kill "$BACKEND_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$BACKEND_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$BACKEND_PID" 2>/dev/null || true
    wait "$BACKEND_PID" 2>/dev/null || true
  fi
  BACKEND_PID=""
}

bench_cleanup() {
  local rc=$?
  set +e
  bench_stop_backend
  for pid in "${EXTRA_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
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
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PostgreSQL (started when down) and a fresh database.
bench_create_db() {
  ensure_postgres
  say "Creating database $DB"
  psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qAtc "CREATE DATABASE \"$DB\"" >/dev/null
  DB_CREATED=1
  DB_URL="$PG_URL/$DB"
  PG_VERSION="$(psql "$DB_URL" -qAtc "SHOW server_version")"
  SYNC_COMMIT="$(psql "$DB_URL" -qAtc "SHOW synchronous_commit")"
  [ "$SYNC_COMMIT" = "on" ] || say "warning: synchronous_commit is '$SYNC_COMMIT', not 'on': commits are not durable"
}

bench_build() {
  if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
    say "Building the backend and the load generator (profile bench-server)"
    # Two builds: built together, cargo would unify the backend's reqwest features
    # (rustls without a crypto provider) into the load generator's, which then panics.
    cargo build --locked --profile bench-server -p backend
    cargo build --locked --profile bench-server -p bench
  fi
  [ -x "$BIN_DIR/backend" ] && [ -x "$BIN_DIR/bench" ] || die "binaries missing in $BIN_DIR"
}

# Starts the backend on the database; extra arguments are VAR=value settings. Sets BASE.
bench_start_backend() {
  env DATABASE_URL="$DB_URL" \
    APP_SERVER__HOST=127.0.0.1 \
    APP_SERVER__PORT=0 \
    APP_AUTH__JWT_SECRET="$JWT_SECRET" \
    APP_IDENTITY__DEV_PROVIDER=true \
    APP_DATABASE__MAX_CONNECTIONS="$POOL" \
    APP_BOOTSTRAP__ADMIN_USERNAME="$ADMIN_USER" \
    APP_BOOTSTRAP__ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    APP_FRONTEND__DIST_DIR="$WORK/no-dist" \
    APP_MAIL__DIR="$WORK/mail" \
    RUST_LOG=warn \
    "$@" \
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
}

# POST path body [token] (another method with METHOD=PUT): prints the body; fails unless the status is 2xx.
api() {
  local path=$1 body=$2 token=${3:-} status
  local auth=()
  [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
  status="$(curl -sS --noproxy '*' -o "$WORK/resp" -w '%{http_code}' -X "${METHOD:-POST}" \
    -H 'Content-Type: application/json' "${auth[@]}" --data-binary "$body" "$BASE$path")"
  case "$status" in
    2??) cat "$WORK/resp" ;;
    *) die "POST $path answered $status: $(head -c 500 "$WORK/resp")" ;;
  esac
}
token_of() { sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'; }

# The service $SLUG with the benchmark's form published, and an applicant token.
bench_seed() {
  say "Seeding: service '$SLUG' with a published form, an applicant"
  STAFF_TOKEN="$(api /api/v1/auth/staff/token "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" | token_of)"
  [ -n "$STAFF_TOKEN" ] || die "no staff token"
  api /api/v1/services "$(cat <<JSON
{
  "slug": "$SLUG",
  "name": "Felanmälan gata och park",
  "audience": "Alla som ser ett fel på gator, trottoarer, parker eller belysning i kommunen.",
  "first_page_text": "Här anmäler du fel på gator, trottoarer, parker och gatubelysning.",
  "last_page_text": "Tack! Vi har tagit emot din felanmälan.",
  "privacy_text": "Vi behandlar dina personuppgifter enligt GDPR för att kunna åtgärda felet och kontakta dig.",
  "confirmation_email_subject": "Vi har tagit emot din felanmälan {{case_reference}}",
  "confirmation_email_body": "Hej {{first_name}}!\n\nVi har tagit emot din felanmälan {{case_reference}} den {{submitted_date}}. Följ den på Min sida: {{min_sida_link}}",
  "handler_mailbox": "gatuforvaltningen@example.org",
  "identity": "e_id",
  "retention_days_after_closing": 30
}
JSON
)" "$STAFF_TOKEN" >/dev/null
  api "/api/v1/services/$SLUG/forms" "{\"definition\": $("$BIN_DIR/bench" form)}" "$STAFF_TOKEN" >/dev/null
  # Publishing requires a handler permitted on the service.
  local handler_id
  handler_id="$(api /api/v1/staff "{\"username\":\"benchhandler\",\"display_name\":\"Bench Handler\",\"email\":\"benchhandler@example.org\",\"password\":\"bench-handler-password-1\",\"roles\":[\"handler\"]}" "$STAFF_TOKEN" \
    | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')"
  [ -n "$handler_id" ] || die "no handler account"
  METHOD=PUT api "/api/v1/services/$SLUG/permissions/$handler_id" '{}' "$STAFF_TOKEN" >/dev/null
  api "/api/v1/services/$SLUG/forms/1/publish" '{}' "$STAFF_TOKEN" >/dev/null
  APPLICANT_TOKEN="$(api /api/v1/auth/dev/token '{"personnummer":"189001019802"}' | token_of)"
  [ -n "$APPLICANT_TOKEN" ] || die "no applicant token"
  # One submission by hand: the load generator's answers must be accepted.
  api "/api/v1/catalogue/$SLUG/cases" "{\"form_version\": 1, \"answers\": $("$BIN_DIR/bench" answers)}" "$APPLICANT_TOKEN" >/dev/null
}
