#!/usr/bin/env bash
# The whole test suite, as CI runs it:
#   1. unit and property tests (shared, backend) and the integration suite on SQLite;
#      (the mail tests against a real SMTP server, aiosmtpd, and the object-storage test against an
#      S3-compatible server, moto, both installed into target/smtp-venv);
#   2. the same integration suite on PostgreSQL (127.0.0.1:5432; started if down);
#   3. the browser tests: `shared` compiled to wasm and judging answers in headless Chromium as
#      on the server, and the built SPA in headless Chromium with axe-core checks.
# Installs what is missing first (Chromium from Debian, the wasm tool chain, npm packages).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"

ensure_postgres
ensure_chromium
ensure_aiosmtpd
ensure_moto
"$ROOT/scripts/build-frontend.sh"

say "Formatting and lint checks"
cargo fmt --all --check
cargo clippy --locked --all-targets -- -D warnings
# The SPA is not a default member (trunk builds it for wasm); its lints and unit tests run on the host.
cargo clippy --locked -p frontend --all-targets -- -D warnings

say "Unit, property and integration tests on SQLite"
cargo test --locked
cargo test --locked -p frontend --lib

say "The shared model compiled to wasm, in headless Chromium (the same answers judged as on the server)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${CARGO_HOME:-$HOME/.cargo}/bin/wasm-bindgen-test-runner" \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --locked -p shared --target wasm32-unknown-unknown --test same_in_browser

say "Integration tests on PostgreSQL"
# Test databases are made per test; drop the ones earlier runs left behind.
psql "$PG_URL/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'etj_test_%'" |
  while read -r db; do psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done
TEST_DATABASE=postgres TEST_POSTGRES_URL="$PG_URL" cargo test --locked -p backend --test integration

say "Browser tests (headless Chromium)"
cargo build --locked -p backend
BACKEND_BIN="$ROOT/target/debug/backend" "$ROOT/tests/e2e/run.sh"
