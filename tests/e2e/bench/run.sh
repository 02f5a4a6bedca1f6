#!/usr/bin/env bash
# Benchmarks of the applicant's app (not tests; nothing here fails on a number). Prints:
#   1. the time to re-evaluate every condition and the page's validation after one keystroke on
#      a 100-field form, in the browser (the `bench-conditions` wasm binary of frontend/);
#   2. the bytes a browser transfers to show the first form page, and the time from navigation
#      to that page being interactive, in headless Chromium: as the backend serves the SPA now,
#      and through a gzip-compressing proxy (what a production front server does).
# Needs what tests/e2e/run.sh needs (the backend binary, the built SPA, Chromium, Node 20).
#
# Usage: tests/e2e/bench/run.sh [--runs N]
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/../../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

echo "==> Building the condition benchmark (wasm)" >&2
# From frontend/, so that its .cargo/config.toml (rustflags for wasm32) applies as in the app's build.
(cd "$ROOT/frontend" && cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown --bin bench-conditions)
rm -rf "$BENCH/.out" && mkdir -p "$BENCH/.out"
wasm-bindgen --target web --no-typescript --out-dir "$BENCH/.out" \
  "$ROOT/target/wasm32-unknown-unknown/wasm-release/bench-conditions.wasm"

cd "$BENCH/.."
[ -d node_modules ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
exec node bench/bench.mjs "$@"
