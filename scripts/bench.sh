#!/usr/bin/env bash
# Benchmark: case submissions per second and p50/p99 latency against PostgreSQL,
# beside the machine's ceiling for one durable insert transaction, both measured
# in this run.
#
#   1. PostgreSQL on 127.0.0.1:5432 (started when down); a fresh database etj_bench_<time>.
#   2. The backend and the load generator (tests/bench) built in the bench-server profile.
#   3. The backend started on that database (a free port; the outbox's delivery worker
#      off: each submission queues its two mails, nothing sends them); a service with a
#      published two-page form of nine fields (one conditional) created through the HTTP
#      API; an applicant token from the development login.
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
# shellcheck source=scripts/bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

# --- 1. PostgreSQL and a fresh database ---------------------------------------
bench_create_db

# --- 2. Build -----------------------------------------------------------------
bench_build

# --- 3. Backend and seed data ---------------------------------------------------
# Submissions queue their mails in the outbox (two per case); the delivery worker is
# off here so the figures are those of the submit path (scripts/bench-mail.sh
# measures delivery).
say "Starting the backend (pool: $POOL connections)"
bench_start_backend APP_MAIL__OUTBOX__WORKER=false
bench_seed

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
