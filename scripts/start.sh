#!/usr/bin/env bash
# Sets up everything needed (wasm target, trunk, wasm-bindgen, wasm-opt — skipping what is
# installed), builds the web app and the server, and starts the platform on the embedded
# SQLite database in ./data with demo services seeded and the development login on.
# Prints the URL and the demo accounts' generated passwords. Ctrl-C stops it.
#
# Usage: scripts/start.sh            (PORT=9000 scripts/start.sh to use another port)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs)."
"$ROOT/scripts/build-frontend.sh"
say "Building the server"
cargo build -p backend
say "Starting the platform (SQLite in ./data, demo services, development login ON)"
export APP_SERVER__PORT="${PORT:-8080}"
export APP_FRONTEND__DIST_DIR="$ROOT/frontend/dist"
exec "$ROOT/target/debug/backend" serve --demo
