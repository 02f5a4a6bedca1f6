#!/usr/bin/env bash
# Runs the browser tests. Needs: the backend binary (cargo build -p backend, or BACKEND_BIN),
# the built SPA (scripts/build-frontend.sh), Chromium (apt-get install -y chromium) and Node 20.
# Extra arguments go to `node --test`. SCREENSHOTS=1 writes docs/screenshots/catalogue.png,
# login-bankid.png (the BankID QR code) and mina-uppgifter.png.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules ]; then
  # playwright-core never downloads browsers; the variable makes sure of it.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
fi

exec node --test --test-concurrency=1 "$@"
