#!/usr/bin/env bash
# Benchmark: the e-mail outbox on PostgreSQL, two figures measured in one run.
#
#   A. The outbox write on the submit path. Case submissions (64 clients, the benchmark's
#      service of scripts/bench.sh) with mail on — every submission queues its two mails,
#      the applicant's confirmation and the handlers' notice, in its own statement — and
#      with mail off (APP_MAIL__ENABLED=false), alternating, BENCH_MAIL_ROUNDS rounds of
#      each. The delivery worker is off, so only the write is measured. Reported: the
#      median over the rounds of submissions/s, p50 and p99, and the ratio on/off.
#   B. Delivery throughput. The mails the A rounds queued are delivered by the worker
#      with its default settings (batches of 50, 8 at a time, one process) over SMTP to
#      a local sink (`bench smtp-sink`, a minimal SMTP server that counts what it
#      accepts). Reported: mails/s over BENCH_DRAIN_SECONDS, by the outbox and by the sink.
#
# Writes bench-results/mail.json and prints a table. Environment (optional):
#   BENCH_MAIL_SECONDS=15   measured seconds of each submission round
#   BENCH_MAIL_ROUNDS=3     rounds of each mode
#   BENCH_DRAIN_SECONDS=20  seconds of delivery measured
#   BENCH_CLIENTS=64  BENCH_POOL=16  BENCH_PG_URL  BENCH_SKIP_BUILD=1  (as scripts/bench.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

SECONDS_PER_ROUND="${BENCH_MAIL_SECONDS:-15}"
ROUNDS="${BENCH_MAIL_ROUNDS:-3}"
DRAIN_SECONDS="${BENCH_DRAIN_SECONDS:-20}"
CLIENTS="${BENCH_CLIENTS:-64}"
POOL="${BENCH_POOL:-16}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="${BENCH_OUT:-bench-results/mail.json}"
SLUG="felanmalan"
# shellcheck source=scripts/bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

bench_create_db
bench_build

say "Starting the SMTP sink"
"$BIN_DIR/bench" smtp-sink --count-file "$WORK/sink.count" >"$WORK/sink.out" 2>&1 &
EXTRA_PIDS+=($!)
SINK_PORT=""
for _ in $(seq 1 100); do
  SINK_PORT="$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$WORK/sink.out")"
  [ -n "$SINK_PORT" ] && break
  sleep 0.1
done
[ -n "$SINK_PORT" ] || die "the SMTP sink did not start: $(cat "$WORK/sink.out")"
SMTP=(APP_MAIL__TRANSPORT=smtp APP_MAIL__SMTP__HOST=127.0.0.1 APP_MAIL__SMTP__PORT="$SINK_PORT"
  APP_MAIL__SMTP__SECURITY=none)

bench_start_backend "${SMTP[@]}" APP_MAIL__OUTBOX__WORKER=false
bench_seed
bench_stop_backend

# --- A. The submit path with and without the outbox write -------------------------
for round in $(seq 1 "$ROUNDS"); do
  for mode in on off; do
    enabled=true
    [ "$mode" = off ] && enabled=false
    bench_start_backend "${SMTP[@]}" APP_MAIL__OUTBOX__WORKER=false APP_MAIL__ENABLED="$enabled"
    say "Round $round, mail $mode: $CLIENTS clients, $SECONDS_PER_ROUND s"
    psql "$DB_URL" -qc "CHECKPOINT" >/dev/null
    BENCH_TOKEN="$APPLICANT_TOKEN" "$BIN_DIR/bench" run --url "$BASE" --slug "$SLUG" --form-version 1 \
      --concurrency "$CLIENTS" --duration "$SECONDS_PER_ROUND" --warmup 2 >"$WORK/round-$round-$mode.json" ||
      die "the load generator failed"
    bench_stop_backend
  done
done

# --- B. Delivery throughput -----------------------------------------------------------
PENDING="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM outbox WHERE status = 'pending'")"
say "Delivering: $PENDING mails pending; measuring $DRAIN_SECONDS s"
sent() { psql "$DB_URL" -qAtc "SELECT count(*) FROM outbox WHERE status = 'sent'"; }
sink_count() { cat "$WORK/sink.count" 2>/dev/null || echo 0; }
bench_start_backend "${SMTP[@]}" APP_MAIL__OUTBOX__WORKER=true
sleep 2 # the worker warms up (connections to the database and the SMTP server)
SENT0="$(sent)"
SINK0="$(sink_count)"
T0="$(date +%s.%N)"
sleep "$DRAIN_SECONDS"
SENT1="$(sent)"
SINK1="$(sink_count)"
T1="$(date +%s.%N)"
bench_stop_backend
DEAD="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM outbox WHERE status = 'dead'")"

mkdir -p "$(dirname "$OUT")"
python3 - "$WORK" "$ROUNDS" "$SENT0" "$SENT1" "$SINK0" "$SINK1" "$T0" "$T1" "$PENDING" "$DEAD" \
  "$CLIENTS" "$SECONDS_PER_ROUND" "$OUT" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
sent0, sent1, sink0, sink1 = (int(x) for x in sys.argv[3:7])
t0, t1 = float(sys.argv[7]), float(sys.argv[8])
pending, dead, clients, secs, out, commit = int(sys.argv[9]), int(sys.argv[10]), int(sys.argv[11]), sys.argv[12], sys.argv[13], sys.argv[14]
modes = {}
for mode in ("on", "off"):
    runs = [json.load(open(f"{work}/round-{r}-{mode}.json")) for r in range(1, rounds + 1)]
    modes[mode] = {
        "rounds": [{"submissions_per_s": r["submissions_per_s"], "p50_ms": r["latency_ms"]["p50"],
                    "p99_ms": r["latency_ms"]["p99"], "errors": r["error_count"]} for r in runs],
        "median_submissions_per_s": statistics.median(r["submissions_per_s"] for r in runs),
        "median_p50_ms": statistics.median(r["latency_ms"]["p50"] for r in runs),
        "median_p99_ms": statistics.median(r["latency_ms"]["p99"] for r in runs),
    }
elapsed = t1 - t0
result = {
    "submit_path": {"clients": clients, "seconds_per_round": float(secs), "mail_on": modes["on"], "mail_off": modes["off"],
                    "p99_ratio_on_off": round(modes["on"]["median_p99_ms"] / modes["off"]["median_p99_ms"], 3),
                    "p50_ratio_on_off": round(modes["on"]["median_p50_ms"] / modes["off"]["median_p50_ms"], 3),
                    "throughput_ratio_on_off": round(modes["on"]["median_submissions_per_s"] / modes["off"]["median_submissions_per_s"], 3)},
    "delivery": {"pending_at_start": pending, "seconds": round(elapsed, 2),
                 "mails_per_s_outbox": round((sent1 - sent0) / elapsed, 1),
                 "mails_per_s_sink": round((sink1 - sink0) / elapsed, 1), "dead": dead,
                 "worker": "one process, batches of 50, 8 concurrent SMTP sends"},
    "meta": {"commit": commit},
}
json.dump(result, open(out, "w"), indent=2)
on, off, d = modes["on"], modes["off"], result["delivery"]
print()
print("| Measure | Mail on (outbox write) | Mail off | Ratio on/off |")
print("| --- | ---: | ---: | ---: |")
print(f"| Submissions/s (median of {rounds} rounds) | {on['median_submissions_per_s']:.0f} | {off['median_submissions_per_s']:.0f} | {result['submit_path']['throughput_ratio_on_off']:.2f} |")
print(f"| Submit latency p50 | {on['median_p50_ms']:.1f} ms | {off['median_p50_ms']:.1f} ms | {result['submit_path']['p50_ratio_on_off']:.2f} |")
print(f"| Submit latency p99 | {on['median_p99_ms']:.1f} ms | {off['median_p99_ms']:.1f} ms | {result['submit_path']['p99_ratio_on_off']:.2f} |")
print()
print(f"Delivery to a local SMTP sink: {d['mails_per_s_outbox']:.0f} mails/s marked sent "
      f"({d['mails_per_s_sink']:.0f}/s counted by the sink) over {d['seconds']:.0f} s, {pending} pending at the start, {dead} dead.")
PY
say "Results in $OUT"
