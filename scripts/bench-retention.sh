#!/usr/bin/env bash
# Benchmark (issue #7): purging closed cases from PostgreSQL while case submissions run.
# A benchmark, not a timed test: it reports figures and exits 0 when the run completed.
#
#   1. A fresh database; the backend and the load generator (tests/bench) built in the
#      bench-server profile; the backend started on it with the outbox's delivery worker off
#      and the scheduled retention job off (the purge is started through HTTP), its uploads
#      in a directory of this run; the service of scripts/bench.sh (closed cases kept 30 days)
#      created through the API.
#   2. BENCH_PURGE_CASES (default 100,000) closed cases inserted in SQL, as the platform
#      leaves them: closed 400 days ago and every 80 s before that (so due now), time-ordered UUIDv7 ids,
#      applicants drawn from Skatteverket's test personnummer (testdata/), each with its two
#      status-history entries (submitted, closed by a handler), the access-log entry the
#      closing wrote, and one attachment: an uploads row (case_id set) and its file on disk
#      (1, 2, 3 or 4 KB of random bytes; size and SHA-256 recorded). Then sync, VACUUM
#      ANALYZE, CHECKPOINT.
#   3. Submissions (as scripts/bench.sh: BENCH_CLIENTS clients POST
#      /api/v1/catalogue/{slug}/cases, each with a fresh Idempotency-Key) run throughout:
#      a warm-up, a baseline window of BENCH_BASELINE_SECONDS, then, with the load still
#      running, POST /api/v1/retention/runs as the platform admin (it purges synchronously);
#      its wall time is the purge time. The load goes on BENCH_AFTER_SECONDS more.
#      Every request is recorded (`bench run --samples`); `bench windows` gives p50/p99 of the
#      baseline (requests that started and ended in it) and of the purge (every request in
#      flight at some instant of it).
#   4. Checks: none of the seeded cases, their history, access-log entries or uploads rows is
#      left; none of their files is left on disk; purge_records holds one record per case.
#   5. The backend is stopped, the database dropped; the figures are written to
#      bench-results/retention.json and printed as a table. While the purge runs, the
#      database's statements slower than BENCH_SLOW_MS are logged by PostgreSQL (the
#      summary lists them when the server log is readable) and pg_stat_activity is sampled
#      twice a second (what the active connections waited on).
#
# Target (issue #7): submit p99 during the purge < 2 × the baseline p99. The script exits 0
# when the run completed, whether or not the target was met (BENCH_STRICT=1: exit 2 when it
# is missed, or when a check fails).
#
# Environment (all optional):
#   BENCH_PURGE_CASES=100000    closed cases to seed and purge
#   BENCH_BASELINE_SECONDS=20   measured seconds of submissions before the purge
#   BENCH_AFTER_SECONDS=5       seconds the load goes on after the purge returned
#   BENCH_WARMUP=3              warm-up seconds before the baseline (not counted)
#   BENCH_CLIENTS=64            concurrent submitting clients
#   BENCH_POOL=16               the backend's database connection pool
#   BENCH_PURGE_TIMEOUT=3300    seconds the purge request may take (the load stops by then)
#   BENCH_SLOW_MS=250           log statements slower than this (PostgreSQL's server log)
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432   server to use (trust auth)
#   BENCH_OUT=bench-results/retention.json
#   BENCH_SKIP_BUILD=1          use the binaries already built
#   BENCH_STRICT=1              exit 2 when the target is missed or a check fails
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

PURGE_CASES="${BENCH_PURGE_CASES:-100000}"
BASELINE_SECONDS="${BENCH_BASELINE_SECONDS:-20}"
AFTER_SECONDS="${BENCH_AFTER_SECONDS:-5}"
WARMUP="${BENCH_WARMUP:-3}"
CLIENTS="${BENCH_CLIENTS:-64}"
POOL="${BENCH_POOL:-16}"
PURGE_TIMEOUT="${BENCH_PURGE_TIMEOUT:-3300}"
SLOW_MS="${BENCH_SLOW_MS:-250}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="${BENCH_OUT:-bench-results/retention.json}"
SLUG="felanmalan"
TARGET_RATIO=2
# shellcheck source=scripts/bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

case "$PURGE_CASES" in '' | *[!0-9]*) die "BENCH_PURGE_CASES must be a number" ;; esac
[ "$PURGE_CASES" -ge 1 ] && [ "$PURGE_CASES" -le 999999 ] || die "BENCH_PURGE_CASES must be 1 to 999999"
for n in "$BASELINE_SECONDS" "$AFTER_SECONDS" "$WARMUP" "$PURGE_TIMEOUT" "$SLOW_MS"; do
  case "$n" in '' | *[!0-9]*) die "the BENCH_*_SECONDS, BENCH_PURGE_TIMEOUT and BENCH_SLOW_MS values are whole numbers" ;; esac
done
# The load generator runs at most an hour.
[ $((WARMUP + BASELINE_SECONDS + PURGE_TIMEOUT + AFTER_SECONDS)) -le 3590 ] ||
  die "BENCH_WARMUP + BENCH_BASELINE_SECONDS + BENCH_PURGE_TIMEOUT + BENCH_AFTER_SECONDS must stay under an hour"
command -v python3 >/dev/null 2>&1 || die "python3 is missing"
now_us() { date +%s%6N; }

# --- 1. Database, build, backend, the service -----------------------------------
bench_create_db
psql "$PG_URL/postgres" -qAtc "ALTER DATABASE \"$DB\" SET log_min_duration_statement = '${SLOW_MS}ms'" >/dev/null
bench_build
UPLOADS="$WORK/uploads"
mkdir -p "$UPLOADS" "$WORK/documents"
say "Starting the backend (pool: $POOL connections; retention job and outbox worker off)"
# The load runs longer than an applicant token lives (15 min): its token lives two hours here.
bench_start_backend APP_MAIL__OUTBOX__WORKER=false APP_RETENTION__ENABLED=false APP_RETENTION__ALLOW_AS_OF=false \
  APP_UPLOADS__DIR="$UPLOADS" APP_STORAGE__DIR="$WORK/documents" APP_AUTH__APPLICANT_TOKEN_TTL_MINUTES=120
bench_seed
BEFORE_CASES="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM cases")"

# --- 2. The closed cases --------------------------------------------------------
say "Seeding $PURGE_CASES closed cases, each with one attachment"
SEED_START="$(now_us)"
"$BIN_DIR/bench" answers | tr -d '\n' | sed "s/'/''/g" >"$WORK/answers.sql"
tail -n +2 "$ROOT/testdata/testpersonnummer.csv" | grep -E '^[0-9]{12}$' >"$WORK/pnr.txt"
[ -s "$WORK/pnr.txt" ] || die "no personnummer in testdata/testpersonnummer.csv"
# Four attachment contents of 1–4 KB; each case's file is one of them (its size and SHA-256 recorded).
: >"$WORK/templates.txt"
for t in 0 1 2 3; do
  head -c $(((t + 1) * 1024)) /dev/urandom >"$WORK/template-$t.bin"
  printf '%s\t%s\t%s\n' "$t" "$(((t + 1) * 1024))" "$(sha256sum "$WORK/template-$t.bin" | cut -d' ' -f1)" >>"$WORK/templates.txt"
done
psql "$DB_URL" -v ON_ERROR_STOP=1 -q <<SQL
CREATE TEMP TABLE pnr_raw (p text);
\copy pnr_raw FROM '$WORK/pnr.txt'
CREATE TEMP TABLE pnr AS SELECT (row_number() OVER (ORDER BY p)) - 1 AS n, p FROM pnr_raw;
CREATE TEMP TABLE tpl (n int PRIMARY KEY, size bigint, sha256 text);
\copy tpl FROM '$WORK/templates.txt'
-- A time-ordered UUIDv7 for an instant, as the platform makes ids.
CREATE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid AS \$\$
  SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7'
          || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid
\$\$ LANGUAGE sql VOLATILE;
-- Case g was submitted 14 days before it was closed; closings 400 days ago and every 80 s before.
CREATE TEMP TABLE seed AS
SELECT g, pnr.p, t.closed_at, t.closed_at - interval '14 days' AS submitted_at,
    pg_temp.uuid7(t.closed_at - interval '14 days') AS case_id,
    pg_temp.uuid7(t.closed_at - interval '14 days 5 minutes') AS upload_id,
    g % 4 AS tpl
FROM generate_series(1, $PURGE_CASES) g
CROSS JOIN LATERAL (SELECT now() - interval '400 days' - g * interval '80 seconds' AS closed_at) t
JOIN pnr ON pnr.n = (g::bigint * 7919) % (SELECT count(*) FROM pnr);
CREATE TEMP TABLE who AS
SELECT s.id AS service_id, fv.id AS form_version_id, u.id AS staff_id, u.username
FROM services s JOIN form_versions fv ON fv.service_id = s.id AND fv.version = 1, staff_users u
WHERE s.slug = '$SLUG' AND u.username = '$ADMIN_USER';
DO \$\$ BEGIN
  IF (SELECT count(*) FROM who) <> 1 THEN RAISE EXCEPTION 'the service, its form or the admin is missing'; END IF;
END \$\$;
BEGIN;
INSERT INTO cases (id, reference, service_id, form_version_id, form_version, status_key, status_kind,
    applicant_personnummer, applicant_name, answers, idempotency_scope, idempotency_key, request_hash,
    submitted_at, updated_at, closed_at, assignee_id, contact_email, language)
SELECT seed.case_id, 'HBG-' || to_char(seed.submitted_at AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(g::text, 6, '0'),
    who.service_id, who.form_version_id, 1, 'avslutat', 'closed',
    seed.p, 'Testperson', '$(cat "$WORK/answers.sql")'::json, seed.p, 'bench-purge-' || g,
    md5('bench-purge-' || g) || md5(g::text), seed.submitted_at, seed.closed_at, seed.closed_at, who.staff_id,
    'testperson@example.org', 'sv'
FROM seed, who;
INSERT INTO case_status_history (id, case_id, from_key, to_key, changed_by, staff_user_id, changed_at, comment)
SELECT pg_temp.uuid7(seed.submitted_at), seed.case_id, NULL, 'inskickat', 'applicant', NULL, seed.submitted_at, NULL
FROM seed
UNION ALL
SELECT pg_temp.uuid7(seed.closed_at), seed.case_id, 'inskickat', 'avslutat', who.username, who.staff_id,
    seed.closed_at, 'Åtgärdat.'
FROM seed, who;
INSERT INTO case_access_log (id, case_id, staff_user_id, action, at)
SELECT pg_temp.uuid7(seed.closed_at), seed.case_id, who.staff_id, 'status_change', seed.closed_at FROM seed, who;
INSERT INTO uploads (id, personnummer, owner_token_hash, name, content_type, size, sha256, case_id, created_at)
SELECT seed.upload_id, seed.p, NULL, 'bilaga-' || g || '.pdf', 'application/pdf', tpl.size, tpl.sha256,
    seed.case_id, seed.submitted_at - interval '5 minutes'
FROM seed JOIN tpl ON tpl.n = seed.tpl;
COMMIT;
\copy (SELECT case_id, upload_id, tpl FROM seed) TO '$WORK/seeded.tsv'
SQL
# The files, named by upload id as the local store names them (no fsync each; one sync below).
python3 - "$WORK" "$UPLOADS" <<'PY'
import sys
work, uploads = sys.argv[1:3]
tpl = [open(f"{work}/template-{t}.bin", "rb").read() for t in range(4)]
n = 0
with open(f"{work}/seeded.tsv") as f:
    for line in f:
        _case, upload, t = line.split()
        with open(f"{uploads}/{upload}", "wb") as out:
            out.write(tpl[int(t)])
        n += 1
print(f"{n} files written")
PY
sync
psql "$DB_URL" -v ON_ERROR_STOP=1 -qc "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
SEED_SECONDS="$(python3 -c "print(round(($(now_us) - $SEED_START) / 1e6, 1))")"
SEEDED_CASES="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM cases WHERE idempotency_key LIKE 'bench-purge-%'")"
SEEDED_FILES="$(find "$UPLOADS" -maxdepth 1 -type f | wc -l)"
[ "$SEEDED_CASES" = "$PURGE_CASES" ] && [ "$SEEDED_FILES" = "$PURGE_CASES" ] ||
  die "seeded $SEEDED_CASES cases and $SEEDED_FILES files, not $PURGE_CASES"
DUE="$(curl -sS --noproxy '*' -H "Authorization: Bearer $STAFF_TOKEN" "$BASE/api/v1/services/$SLUG/retention-preview" |
  python3 -c "import json,sys; print(json.load(sys.stdin)['case_count'])" 2>/dev/null || echo '?')"
say "Seeded $SEEDED_CASES closed cases and $SEEDED_FILES files in $SEED_SECONDS s (retention preview: $DUE due)"

# --- 3. Load: baseline, then the purge while it runs ------------------------------
# pg_stat_activity twice a second: what the database's active connections are doing.
psql "$DB_URL" -qAt -F '|' >"$WORK/activity.txt" 2>/dev/null <<SQL &
SELECT (extract(epoch FROM now()) * 1e6)::bigint, coalesce(wait_event_type, 'CPU'),
    coalesce(wait_event, '-'), regexp_replace(left(query, 90), '\s+', ' ', 'g')
FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
\watch 0.5
SQL
ACTIVITY_PID=$!
EXTRA_PIDS+=("$ACTIVITY_PID")

LOAD_MAX=$((WARMUP + BASELINE_SECONDS + PURGE_TIMEOUT + AFTER_SECONDS + 5))
say "Load: $CLIENTS clients, ${WARMUP} s warm-up, ${BASELINE_SECONDS} s baseline, then the purge"
BENCH_TOKEN="$APPLICANT_TOKEN" "$BIN_DIR/bench" run --url "$BASE" --slug "$SLUG" --form-version 1 \
  --concurrency "$CLIENTS" --duration "$LOAD_MAX" --warmup "$WARMUP" \
  --samples "$WORK/samples.txt" --stop-file "$WORK/stop" >"$WORK/load.json" 2>"$WORK/load.err" &
LOAD_PID=$!
EXTRA_PIDS+=("$LOAD_PID")
sleep "$((WARMUP + BASELINE_SECONDS))"
sleep 0.2
kill -0 "$LOAD_PID" 2>/dev/null || die "the load generator stopped: $(cat "$WORK/load.err")"
# A fresh admin token: the seeding may have outlived the first one.
ADMIN_TOKEN="$(api /api/v1/auth/staff/token "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" | token_of)"
[ -n "$ADMIN_TOKEN" ] || die "no admin token"

say "Purge: POST /api/v1/retention/runs (load still running)"
PURGE_FROM="$(now_us)"
set +e
PURGE_STATUS="$(curl -sS --noproxy '*' -m "$PURGE_TIMEOUT" -o "$WORK/run.json" -w '%{http_code}' -X POST \
  -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN_TOKEN" --data-binary '{}' \
  "$BASE/api/v1/retention/runs" 2>"$WORK/run.err")"
PURGE_RC=$?
set -e
PURGE_TO="$(now_us)"
PURGE_SECONDS="$(python3 -c "print(round(($PURGE_TO - $PURGE_FROM) / 1e6, 2))")"
if [ "$PURGE_RC" -ne 0 ] || [ "$PURGE_STATUS" != 200 ]; then
  touch "$WORK/stop"
  die "POST /api/v1/retention/runs failed after $PURGE_SECONDS s (curl $PURGE_RC, HTTP $PURGE_STATUS): $(head -c 500 "$WORK/run.json" 2>/dev/null) $(cat "$WORK/run.err")"
fi
say "Purge returned after $PURGE_SECONDS s: $(head -c 400 "$WORK/run.json")"
sleep "$AFTER_SECONDS"
AFTER_TO="$(now_us)"
touch "$WORK/stop"
set +e
wait "$LOAD_PID"
LOAD_RC=$?
set -e
[ "$LOAD_RC" -eq 0 ] || die "the load generator failed: $(cat "$WORK/load.err")"
kill "$ACTIVITY_PID" 2>/dev/null || true
curl -sS --noproxy '*' -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/api/v1/retention" >"$WORK/status.json" || true

BASELINE_FROM=$((PURGE_FROM - BASELINE_SECONDS * 1000000))
"$BIN_DIR/bench" windows --samples "$WORK/samples.txt" \
  --window "baseline:$BASELINE_FROM:$PURGE_FROM:within" \
  --window "during:$PURGE_FROM:$PURGE_TO:overlap" \
  --window "after:$PURGE_TO:$AFTER_TO:within" \
  --bucket 1 >"$WORK/windows.json" || die "bench windows failed"

# --- 4. Checks ------------------------------------------------------------------
say "Checking what is left"
psql "$DB_URL" -v ON_ERROR_STOP=1 -qAt -F '|' >"$WORK/checks.txt" <<SQL
CREATE TEMP TABLE seeded (case_id uuid, upload_id uuid, tpl int);
\copy seeded FROM '$WORK/seeded.tsv'
SELECT 'cases_left', count(*) FROM cases WHERE id IN (SELECT case_id FROM seeded);
SELECT 'history_left', count(*) FROM case_status_history WHERE case_id IN (SELECT case_id FROM seeded);
SELECT 'access_log_left', count(*) FROM case_access_log WHERE case_id IN (SELECT case_id FROM seeded);
SELECT 'uploads_left', count(*) FROM uploads WHERE id IN (SELECT upload_id FROM seeded);
SELECT 'purge_records', count(*) FROM purge_records WHERE case_id IN (SELECT case_id FROM seeded);
SELECT 'purge_records_total', count(*) FROM purge_records;
SELECT 'purged_access_log', count(*) FROM purged_access_log;
SELECT 'file_deletions_pending', count(*) FROM file_deletions;
SELECT 'cases_total', count(*) FROM cases;
SQL
FILES_LEFT="$(python3 - "$WORK" "$UPLOADS" <<'PY'
import os, sys
work, uploads = sys.argv[1:3]
print(sum(os.path.exists(f"{uploads}/{l.split()[1]}") for l in open(f"{work}/seeded.tsv")))
PY
)"
printf 'files_left|%s\n' "$FILES_LEFT" >>"$WORK/checks.txt"

# Statements slower than BENCH_SLOW_MS in the server log while the load ran (when readable).
PG_LOG="$(ls -t /var/log/postgresql/postgresql-*.log 2>/dev/null | head -n1 || true)"
: >"$WORK/slow.log"
if [ -n "$PG_LOG" ] && [ -r "$PG_LOG" ]; then
  grep -a "@$DB " "$PG_LOG" | grep -a 'duration: ' >"$WORK/slow.log" || true
fi

bench_stop_backend

# --- 5. Results -----------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
set +e
python3 - "$WORK" "$OUT" "$PURGE_CASES" "$PURGE_SECONDS" "$SEED_SECONDS" "$PURGE_FROM" "$PURGE_TO" \
  "$CLIENTS" "$POOL" "$(nproc)" "$PG_VERSION" "$SYNC_COMMIT" "$TARGET_RATIO" "${BENCH_STRICT:-}" "$SLOW_MS" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')" \
  "$BEFORE_CASES" "$DUE" <<'PY'
import collections, datetime, json, re, sys
(work, out, n, purge_s, seed_s, t0, t1, clients, pool, cpus, pg, sync, target, strict, slow_ms, commit,
 before_cases, due) = sys.argv[1:19]
n, purge_s, t0, t1, target = int(n), float(purge_s), int(t0), int(t1), float(target)
run = json.load(open(f"{work}/run.json"))
win = json.load(open(f"{work}/windows.json"))
load = json.load(open(f"{work}/load.json"))
checks = {k: int(v) for k, v in (l.strip().split("|") for l in open(f"{work}/checks.txt") if "|" in l)}

def ts(s):
    # RFC 3339 with up to nanoseconds; Python reads microseconds.
    s = re.sub(r"(\.\d{6})\d+", r"\1", s.replace("Z", "+00:00"))
    return datetime.datetime.fromisoformat(s).timestamp()

server_s = None
if run.get("finished_at") and run.get("started_at"):
    server_s = round(ts(run["finished_at"]) - ts(run["started_at"]), 2)
b, d, a = win["baseline"], win["during"], win["after"]
p99_b, p99_d = b["latency_ms"]["p99"], d["latency_ms"]["p99"]
ratio = round(p99_d / p99_b, 2) if p99_b > 0 else None
met = ratio is not None and ratio < target and d["successes"] > 0
ok = {
    "cases_left": checks.get("cases_left") == 0,
    "history_left": checks.get("history_left") == 0,
    "access_log_left": checks.get("access_log_left") == 0,
    "uploads_left": checks.get("uploads_left") == 0,
    "files_left": checks.get("files_left") == 0,
    "purge_records": checks.get("purge_records") == n,
    "cases_purged_reported": run.get("cases_purged") == n,
}

# What the active connections waited on, sampled twice a second, baseline vs purge.
def activity(lo, hi):
    c = collections.Counter()
    for line in open(f"{work}/activity.txt", errors="replace"):
        f = line.rstrip("\n").split("|", 3)
        if len(f) < 4 or not f[0].isdigit():
            continue
        t = int(f[0])
        if lo <= t < hi:
            c[(f"{f[1]}:{f[2]}", f[3][:70])] += 1
    k = max((hi - lo) / 500_000, 1)  # snapshots taken (one each 0.5 s; an idle one prints nothing)
    return [{"wait": w, "query": q, "avg_active": round(v / k, 2)} for (w, q), v in c.most_common(8)]

# Slow statements in the server log (with its timestamps, UTC) during the purge.
slow = collections.Counter()
slow_max = {}
pat = re.compile(r"^(\S+ \S+) UTC .*duration: ([0-9.]+) ms\s+(?:statement|execute [^:]*|bind [^:]*|parse [^:]*):\s*(.*)$")
for line in open(f"{work}/slow.log", errors="replace"):
    m = pat.match(line)
    if not m:
        continue
    at = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc).timestamp() * 1e6
    if not (t0 - 1e6 <= at <= t1 + 1e6):
        continue
    q = re.sub(r"\s+", " ", m.group(3))[:100]
    slow[q] += 1
    slow_max[q] = max(slow_max.get(q, 0), float(m.group(2)))

result = {
    "purge": {
        "cases": n, "seconds": purge_s, "server_seconds": server_s,
        "cases_per_s": round(n / purge_s, 1) if purge_s > 0 else None,
        "run": run,
    },
    "submissions": {"baseline": b, "during_purge": d, "after_purge": a},
    "p99_ratio": ratio, "target": {"p99_ratio_max": target, "met": met},
    "checks": checks, "checks_ok": ok,
    "activity": {"baseline": activity(t0 - 10_000_000, t0), "during_purge": activity(t0, t1)},
    "slow_statements_during_purge": [{"statement": q, "count": c, "max_ms": slow_max[q]} for q, c in slow.most_common(12)],
    "series_1s": win.get("series", []),
    "load_total": {k: load.get(k) for k in ("requests", "successes", "error_count", "errors", "error_samples", "duration_s")},
    "meta": {"database": f"PostgreSQL {pg}", "synchronous_commit": sync, "backend_pool": int(pool),
             "clients": int(clients), "cpus": int(cpus), "seed_seconds": float(seed_s),
             "cases_before_seeding": int(before_cases), "due_in_preview": due,
             "slow_statement_log_ms": int(slow_ms), "commit": commit,
             "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "seeded_per_case": "1 case (closed, answers of the bench form), 2 status-history rows, "
                                "1 access-log row, 1 uploads row + its file (1-4 KB)"},
}
json.dump(result, open(out, "w"), indent=2)

def row(label, w):
    l = w["latency_ms"]
    return (f"| {label} | {w['seconds']:.1f} s | {w['submissions_per_s']:.0f} /s | {l['p50']:.1f} ms | "
            f"{l['p99']:.1f} ms | {l['max']:.1f} ms | {w['error_count']} |")

print()
print(f"| Purge | Value |\n| --- | ---: |")
print(f"| Closed cases purged (one attachment each) | {run.get('cases_purged')} of {n} |")
print(f"| Files removed | {run.get('files_deleted')} |")
print(f"| Purge time (POST /retention/runs, wall) | {purge_s:.1f} s" + (f" (server: {server_s:.1f} s)" if server_s else "") + " |")
print(f"| Cases purged per second | {n / purge_s:.0f} |")
print()
print("| Submissions | window | rate | p50 | p99 | max | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
print(row("before the purge (baseline)", b))
print(row("during the purge", d))
print(row("after the purge", a))
print()
verdict = "met" if met else "**not met**"
print(f"p99 during / baseline: {ratio} (target < {target:g}: {verdict})")
for label, w in (("baseline", b), ("during", d), ("after", a)):
    if w["error_count"]:
        print(f"warning: {w['error_count']} failed submissions {label}: {w['errors']}")
bad = [k for k, v in ok.items() if not v]
print("checks: " + ("all passed" if not bad else "FAILED: " + ", ".join(f"{k}={checks.get(k, run.get('cases_purged'))}" for k in bad)))
if slow:
    print(f"statements slower than {slow_ms} ms during the purge: " +
          "; ".join(f"{c}× (max {slow_max[q]:.0f} ms) {q[:60]}" for q, c in slow.most_common(3)))
sys.exit(2 if strict == "1" and (not met or bad) else 0)
PY
RC=$?
set -e
[ "$RC" -eq 0 ] || [ "$RC" -eq 2 ] || die "summarising failed"
say "Results in $OUT"
exit "$RC"
