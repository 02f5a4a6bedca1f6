#!/usr/bin/env bash
# Benchmark: case handling reads over a large PostgreSQL case table.
#
#   1. A fresh database; the backend (bench-server profile) on it; the benchmark's service
#      created through the API and cloned in SQL to 50 services.
#   2. BENCH_CASES (default 1,000,000) cases inserted in SQL across the 50 services and the
#      four standard statuses, spread over about a year (time-ordered UUIDv7 ids, as the
#      platform makes them), their applicants drawn from Skatteverket's 42,937 test
#      personnummer (about 23 cases each); ANALYZE.
#   3. A handler permitted on all 50 services. Each read below is sent BENCH_REQUESTS times
#      (default 500, after 50 not counted), one at a time, through HTTP:
#        - inbox, first page: one service, one status, newest first, 25 per page;
#        - inbox, page BENCH_PAGE (default 200, about the last) of the same list (keyset cursor);
#        - inbox over all 50 services, newest first: page 500;
#        - search by reference; search by personnummer;
#        - Min sida: one person's case list.
#   Targets (issue #6): inbox and searches p99 < 25 ms; Min sida p99 < 10 ms.
# Writes bench-results/inbox.json and prints a table.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

CASES="${BENCH_CASES:-1000000}"
REQUESTS="${BENCH_REQUESTS:-500}"
PAGE="${BENCH_PAGE:-200}"
POOL="${BENCH_POOL:-16}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="${BENCH_OUT:-bench-results/inbox.json}"
SLUG="felanmalan"
# shellcheck source=scripts/bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

bench_create_db
bench_build
bench_start_backend APP_MAIL__OUTBOX__WORKER=false
bench_seed

say "Cloning the service to 50 services"
psql "$DB_URL" -v ON_ERROR_STOP=1 -q <<SQL
INSERT INTO services (id, slug, name, audience, first_page_text, last_page_text, privacy_text,
    confirmation_email_subject, confirmation_email_body, confirmation_email_subject_en, confirmation_email_body_en,
    handler_mailbox, identity, retention_days_after_closing, statuses, published_version, created_at, updated_at)
SELECT gen_random_uuid(), 'tjanst-' || g, 'Tjänst ' || g, audience, first_page_text, last_page_text, privacy_text,
    confirmation_email_subject, confirmation_email_body, confirmation_email_subject_en, confirmation_email_body_en,
    handler_mailbox, identity, retention_days_after_closing, statuses, published_version, now(), now()
FROM services, generate_series(2, 50) g WHERE slug = '$SLUG';
INSERT INTO form_versions (id, service_id, version, state, definition, created_at, published_at)
SELECT gen_random_uuid(), s.id, 1, 'published', fv.definition, now(), now()
FROM services s, form_versions fv JOIN services o ON o.id = fv.service_id AND o.slug = '$SLUG'
WHERE s.slug LIKE 'tjanst-%';
SQL

say "Inserting $CASES cases"
"$BIN_DIR/bench" answers | tr -d '\n' >"$WORK/answers.json"
tail -n +2 "$ROOT/testdata/testpersonnummer.csv" >"$WORK/pnr.txt"
START_INSERT="$(date +%s)"
psql "$DB_URL" -v ON_ERROR_STOP=1 -q <<SQL
CREATE TEMP TABLE pnr_raw (p text);
\copy pnr_raw FROM '$WORK/pnr.txt'
CREATE TEMP TABLE pnr AS SELECT (row_number() OVER (ORDER BY p)) - 1 AS n, p FROM pnr_raw;
CREATE TEMP TABLE svc AS
  SELECT (row_number() OVER (ORDER BY s.slug)) - 1 AS n, s.id, fv.id AS fv
  FROM services s JOIN form_versions fv ON fv.service_id = s.id;
CREATE TEMP TABLE st (n int, key text, kind text);
INSERT INTO st VALUES (0, 'inskickat', 'submitted'), (1, 'registrerat', 'registered'),
  (2, 'under_handlaggning', 'in_progress'), (3, 'avslutat', 'closed');
-- A time-ordered UUIDv7 for an instant, as the platform makes ids.
CREATE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid AS \$\$
  SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7'
          || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid
\$\$ LANGUAGE sql VOLATILE;
INSERT INTO cases (id, reference, service_id, form_version_id, form_version, status_key, status_kind,
    applicant_personnummer, applicant_name, answers, idempotency_scope, idempotency_key, request_hash,
    submitted_at, updated_at, closed_at, assignee_id, contact_email, language)
SELECT pg_temp.uuid7(t.ts), 'BEN-' || lpad(g::text, 8, '0'), svc.id, svc.fv, 1, st.key, st.kind,
    pnr.p, 'Testperson', '$(cat "$WORK/answers.json" | sed "s/'/''/g")'::json, pnr.p, 'bench-' || g, 'bench',
    t.ts, t.ts, CASE WHEN st.kind = 'closed' THEN t.ts END, NULL, 'testperson@example.org', 'sv'
FROM generate_series(1, $CASES) g
CROSS JOIN LATERAL (SELECT now() - (($CASES - g) * interval '30 seconds') AS ts) t
JOIN svc ON svc.n = g % 50
JOIN pnr ON pnr.n = (g::bigint * 7919) % (SELECT count(*) FROM pnr)
JOIN st ON st.n = (g / 7) % 4;
ANALYZE;
SQL
INSERT_SECONDS=$(( $(date +%s) - START_INSERT ))
TOTAL="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM cases")"
say "$TOTAL cases in $INSERT_SECONDS s"

say "A handler permitted on all 50 services"
api /api/v1/staff '{"username": "benchhandler", "display_name": "Bench Handler", "email": "handler@example.org",
  "password": "bench-handler-password-123", "roles": ["handler"]}' "$STAFF_TOKEN" >/dev/null
psql "$DB_URL" -v ON_ERROR_STOP=1 -qc "INSERT INTO service_permissions (service_id, staff_user_id, granted_at)
  SELECT s.id, u.id, now() FROM services s, staff_users u WHERE u.username = 'benchhandler'"
HANDLER_TOKEN="$(api /api/v1/auth/staff/token '{"username": "benchhandler", "password": "bench-handler-password-123"}' | token_of)"
[ -n "$HANDLER_TOKEN" ] || die "no handler token"

SERVICE="tjanst-7"
SERVICE_ID="$(psql "$DB_URL" -qAtc "SELECT id FROM services WHERE slug = '$SERVICE'")"
IN_LIST="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM cases WHERE service_id = '$SERVICE_ID' AND status_key = 'registrerat'")"
CURSOR="$(psql "$DB_URL" -qAtc "SELECT id FROM cases WHERE service_id = '$SERVICE_ID' AND status_key = 'registrerat'
  ORDER BY id DESC OFFSET $(((PAGE - 1) * 25 - 1)) LIMIT 1")"
[ -n "$CURSOR" ] || die "the list has fewer than $PAGE pages ($IN_LIST cases); raise BENCH_CASES"
ALL_CURSOR="$(psql "$DB_URL" -qAtc "SELECT id FROM cases ORDER BY id DESC OFFSET $((499 * 25 - 1)) LIMIT 1")"
REFERENCE="BEN-$(printf '%08d' $((CASES / 2)))"
PERSON="189001019802"
PERSON_CASES="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM cases WHERE applicant_personnummer = '$PERSON'")"

measure() { # name token path [json body: POST]
  say "Measuring: $1"
  BENCH_TOKEN="$2" "$BIN_DIR/bench" latency --url "$BASE$3" --requests "$REQUESTS" --warmup 50 ${4:+--json "$4"} \
    >"$WORK/$1.json" || die "$1 failed"
}
measure inbox_first_page "$HANDLER_TOKEN" "/api/v1/cases?service=$SERVICE&status=registrerat&limit=25"
measure inbox_deep_page "$HANDLER_TOKEN" "/api/v1/cases?service=$SERVICE&status=registrerat&limit=25&after=$CURSOR"
measure inbox_all_page_500 "$HANDLER_TOKEN" "/api/v1/cases?limit=25&after=$ALL_CURSOR"
measure search_reference "$HANDLER_TOKEN" "/api/v1/cases?reference=$REFERENCE"
measure search_personnummer "$HANDLER_TOKEN" "/api/v1/cases/search" "{\"personnummer\": \"$PERSON\"}"
measure min_sida "$APPLICANT_TOKEN" "/api/v1/me/cases"

mkdir -p "$(dirname "$OUT")"
python3 - "$WORK" "$OUT" "$TOTAL" "$INSERT_SECONDS" "$IN_LIST" "$PERSON_CASES" "$(nproc)" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$PAGE" <<'PY'
import json, sys
work, out, total, insert_s, in_list, person_cases, cpus, commit, page = sys.argv[1:10]
names = [("inbox_first_page", "Inbox: one service + status, newest first, page 1", 25),
         ("inbox_deep_page", f"Inbox: the same list, page {page} (keyset)", 25),
         ("inbox_all_page_500", "Inbox: all 50 services, newest first, page 500 (keyset)", 25),
         ("search_reference", "Search by reference", 25),
         ("search_personnummer", "Search by personnummer", 25),
         ("min_sida", f"Min sida: one person's cases ({person_cases})", 10)]
result = {"cases": int(total), "insert_seconds": int(insert_s), "cases_in_inbox_list": int(in_list),
          "cpus": int(cpus), "commit": commit, "reads": {}}
print()
print("| Read | p50 | p99 | target p99 |")
print("| --- | ---: | ---: | --- |")
for key, label, target in names:
    r = json.load(open(f"{work}/{key}.json"))
    r["target_p99_ms"] = target
    r["met"] = r["latency_ms"]["p99"] < target
    result["reads"][key] = r
    met = "met" if r["met"] else "**not met**"
    print(f"| {label} | {r['latency_ms']['p50']:.1f} ms | {r['latency_ms']['p99']:.1f} ms | < {target} ms: {met} |")
json.dump(result, open(out, "w"), indent=2)
PY
say "Results in $OUT ($TOTAL cases)"
