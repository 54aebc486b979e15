#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already there,
# so both Quick start commands can call it on a fresh Debian machine and on a warm one.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1

with_browser=false
with_postgres=false
for flag in "$@"; do
  case "$flag" in
    --with-browser) with_browser=true ;;
    --with-postgres) with_postgres=true ;;
    *) echo "usage: scripts/setup.sh [--with-browser] [--with-postgres]" >&2; exit 2 ;;
  esac
done

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v npm >/dev/null; then
  log "installing Node.js and npm from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: its lock file pins a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! wasm-pack --version 2>/dev/null | grep -q " $WASM_PACK_VERSION"; then
  log "installing wasm-pack $WASM_PACK_VERSION"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" --force
fi

# npm ls fails when anything in tools/package-lock.json is missing or at another version.
if ! (cd tools && npm ls --all >/dev/null 2>&1); then
  log "installing build tools from npm (binaryen's wasm-opt, zopfli)"
  (cd tools && npm ci --no-audit --no-fund --silent)
fi

if $with_browser; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Chromium and ChromeDriver from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # npm ls fails when anything in tests/e2e/package-lock.json is missing or at another version.
  if ! (cd tests/e2e && npm ls --all >/dev/null 2>&1); then
    log "installing the end-to-end test's npm packages"
    (cd tests/e2e && npm ci --no-audit --no-fund --silent)
  fi
fi
if $with_postgres && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # The tests start a throwaway server of their own (scripts/postgres.sh); the package's own
  # cluster and service are left as Debian sets them up.
  log "installing PostgreSQL from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
log "tools ready"
