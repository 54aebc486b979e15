#!/usr/bin/env bash
# One command for every test: formatting and lints (native and wasm32), native unit and
# integration tests, browser tests in headless Chromium, end-to-end tests with a fake camera,
# and the bounded fuzz runs. Artefacts (screenshots, figures) land in target/.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step says how long the one before took, so a slow CI run shows where its time went.
started=$SECONDS
last=$SECONDS
step() {
  printf '\n\033[1m== %s\033[0m   (previous step %ds, %ds in all)\n' "$*" $((SECONDS - last)) $((SECONDS - started))
  last=$SECONDS
}
# The PostgreSQL server the portal's tests run against is this script's own, stopped on any exit.
pg_dir=
finish() {
  if [ -n "$pg_dir" ]; then scripts/postgres.sh stop "$pg_dir"; fi
  printf "\n== done: last step %ds, %ds in all\n" $((SECONDS - last)) $((SECONDS - started))
}
trap finish EXIT

step "tools"
scripts/setup.sh --with-browser --with-postgres

step "format"
cargo fmt --all -- --check

step "lints (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "lints (wasm32)"
# The libraries as the widget links them; their native-only test tools (proptest) stay native.
cargo clippy --target wasm32-unknown-unknown --locked -p tem-core -p tem-scan --lib -- -D warnings
cargo clippy --target wasm32-unknown-unknown --locked -p tem -p tem-decoder --all-targets -- -D warnings

step "docs"
# Crate docs are the code map's second half; a broken intra-doc link is a wrong map.
# The CLI's binary is called `tem` like the widget's library; apart, neither overwrites the other.
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude tem-cli --no-deps --locked
RUSTDOCFLAGS="-D warnings" cargo doc -p tem-cli --no-deps --locked --target-dir target/doc-cli

step "native tests"
cargo test --workspace --locked

step "portal tests on PostgreSQL"
# The same HTTP suites again, with a PostgreSQL store in place of each test's SQLite file.
pg_dir=$(mktemp -d /tmp/tem-test-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_url=$(scripts/postgres.sh start "$pg_dir" "$pg_port")
TEM_TEST_POSTGRES=$pg_url cargo test --locked -p tem-portal --test http --test resolver --test postgres

step "fuzz (bounded)"
scripts/fuzz.sh "${TEM_FUZZ_SECONDS:-30}"

step "browser tests (wasm-bindgen-test, headless Chromium)"
for crate in . crates/tem-decoder; do
  WASM_BINDGEN_TEST_TIMEOUT=120 \
    wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver "$crate"
done

step "build"
scripts/build.sh

step "portal load on loopback (figures, not pass/fail; fails only on a lost scan)"
mkdir -p target/bench
# The load test as build.sh built it (scripts/build.sh says why it is not `cargo run`).
target/release/examples/load 500 2> target/bench/load-portal.log \
  | tee target/bench/load.txt
# Two portal instances on one PostgreSQL database, the deployment PostgreSQL is there for.
psql -q "$pg_url" -c "CREATE DATABASE tem_load"
target/release/examples/load 500 --postgres "${pg_url%/*}/tem_load" \
  2> target/bench/load-postgres-portal.log | tee target/bench/load-postgres.txt

step "browser benchmark (figures in target/bench/, not pass/fail)"
node tests/e2e/bench.mjs 20

step "end-to-end (Playwright, fake camera)"
(cd tests/e2e && node --test --test-concurrency=1 e2e.test.mjs verdicts.test.mjs a11y.test.mjs embed.test.mjs camera.test.mjs offline.test.mjs issuers.test.mjs)

