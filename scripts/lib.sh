# Shared helpers for the scripts in this folder (sourced, not run).

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# cargo-installed tools live in ~/.cargo/bin, which a fresh shell may not have on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Starts the machine's PostgreSQL (127.0.0.1:5432) when it is down.
ensure_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    return 0
  fi
  say "Starting PostgreSQL"
  command -v pg_ctlcluster >/dev/null 2>&1 || die "PostgreSQL is not installed (apt-get install -y postgresql)."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && return 0
    sleep 1
  done
  die "PostgreSQL did not come up on 127.0.0.1:5432"
}

# Installs Debian's Chromium and ChromeDriver for the browser tests when missing.
ensure_chromium() {
  # ChromeDriver too: the form model's wasm test runs in Chromium through it.
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  say "Installing Chromium (Debian package)"
  command -v apt-get >/dev/null 2>&1 || die "Chromium is missing and apt-get is not available: install chromium."
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

# A real SMTP server for the mail tests: aiosmtpd (PyPI) in a virtualenv under target/.
# The tests find its Python through SMTP_SINK_PYTHON.
AIOSMTPD_VERSION="1.4.6"
ensure_aiosmtpd() {
  local venv="$ROOT/target/smtp-venv"
  if ! "$venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    say "Installing aiosmtpd $AIOSMTPD_VERSION (the SMTP server of the mail tests) into target/smtp-venv"
    python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
    "$venv/bin/pip" install -q "aiosmtpd==$AIOSMTPD_VERSION" || die "pip could not install aiosmtpd"
  fi
  export SMTP_SINK_PYTHON="$venv/bin/python"
}

# An S3-compatible server for the object-storage tests: moto's server mode (PyPI), installed into
# the same virtualenv as aiosmtpd (target/smtp-venv). The tests find it through MOTO_PYTHON.
MOTO_VERSION="5.2.5"
ensure_moto() {
  local venv="$ROOT/target/smtp-venv"
  if ! "$venv/bin/python" -c "import moto, flask, flask_cors, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    say "Installing moto[server] $MOTO_VERSION (the S3 server of the storage tests) into target/smtp-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
    "$venv/bin/pip" install -q "moto[server]==$MOTO_VERSION" || die "pip could not install moto[server]"
  fi
  export MOTO_PYTHON="$venv/bin/python"
}
