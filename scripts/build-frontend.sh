#!/usr/bin/env bash
# Builds the single-page app (frontend/) for release into frontend/dist, installing the
# tools it needs first when they are missing or at the wrong version:
#   - the Rust target wasm32-unknown-unknown (rustup)
#   - trunk 0.21.14                (cargo install --locked; 0.22 needs a newer rustc)
#   - wasm-bindgen-cli 0.2.130     (cargo install, without --locked: a locked dep is missing;
#                                   must equal wasm-bindgen in Cargo.lock)
#   - wasm-opt from npm binaryen 132, locally in frontend/node_modules (Debian's binaryen
#     108 emits a broken module; trunk would otherwise try to download it from GitHub)
# Idempotent: run it again and it only rebuilds. Needs Rust via rustup, Node 20 and npm.
#
# Usage: scripts/build-frontend.sh [--tools-only]
set -euo pipefail

TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130"
BINARYEN_VERSION="132"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# cargo-installed tools live in ~/.cargo/bin, which a fresh shell may not have on PATH yet.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs)."
command -v rustup >/dev/null 2>&1 || die "rustup not found: the wasm32 target is installed with rustup."
command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20 and npm."

# The CLI must be exactly the wasm-bindgen version the frontend is built with.
locked_bindgen="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock" 2>/dev/null || true)"
if [ -n "$locked_bindgen" ] && [ "$locked_bindgen" != "$WASM_BINDGEN_VERSION" ]; then
  die "Cargo.lock has wasm-bindgen $locked_bindgen, but this script and frontend/Trunk.toml pin $WASM_BINDGEN_VERSION."
fi

# 1. The Rust target.
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  say "wasm32-unknown-unknown target: installed"
else
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk.
if command -v trunk >/dev/null 2>&1 && [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION: installed"
else
  say "Installing trunk $TRUNK_VERSION (takes several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# 3. wasm-bindgen-cli.
if command -v wasm-bindgen >/dev/null 2>&1 \
  && [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installed"
else
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# 4. wasm-opt from npm, pinned by frontend/package.json and package-lock.json.
WASM_OPT="$FRONTEND/node_modules/.bin/wasm-opt"
if [ -x "$WASM_OPT" ] && "$WASM_OPT" --version 2>/dev/null | grep -q "(version_$BINARYEN_VERSION)"; then
  say "wasm-opt (binaryen $BINARYEN_VERSION): installed in frontend/node_modules"
else
  say "Installing wasm-opt (npm binaryen $BINARYEN_VERSION) into frontend/node_modules"
  (cd "$FRONTEND" && npm ci --no-audit --no-fund)
  "$WASM_OPT" --version | grep -q "(version_$BINARYEN_VERSION)" \
    || die "frontend/node_modules has the wrong wasm-opt: $("$WASM_OPT" --version)"
fi

if [ "${1:-}" = "--tools-only" ]; then
  exit 0
fi

# 5. The build. The tools above are on PATH at the versions Trunk.toml pins, so trunk uses
#    them and downloads nothing; --skip-version-check stops its own update check. Each app's
#    page asks wasm-opt for -Oz --low-memory-unused: Rust puts the stack first (data from 1 MiB
#    up), and no Rust pointer arithmetic wraps around into the first KiB, so binaryen may fold
#    constant offsets into loads and stores (applicants' wasm -2.5 KB gzip).
say "Building the SPA into frontend/dist"
cd "$FRONTEND"
PATH="$FRONTEND/node_modules/.bin:$PATH" trunk build --release --skip-version-check
# Mina sidor (bin `mina-sidor`), the handlers' app (bin `staff`) and the service builder (bin
# `bygga`) are wasms of their own, so that an applicant filling in a form downloads none of them;
# the backend serves their pages for /mina-sidor/… and /embed/…, /handlaggning/… and /bygga/… .
# After the main build, which empties dist/.
for app in mina-sidor:mina-sidor-app staff:handlaggning-app bygga:bygga-app; do
  page="${app%%:*}.html"
  dir="${app##*:}"
  say "Building $page into frontend/dist/$dir"
  PATH="$FRONTEND/node_modules/.bin:$PATH" trunk build --release --skip-version-check \
    --dist "dist/$dir" --public-url "/$dir/" "$page"
done

say "Built:"
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html dist/*-app/*.wasm dist/*-app/*.js dist/*-app/*.css \
  dist/*-app/*.html; do
  [ -f "$f" ] || continue
  printf '    %-48s %8d bytes, %8d gzip\n' "$f" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
