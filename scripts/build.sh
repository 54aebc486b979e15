#!/usr/bin/env bash
# Builds the widget (wasm-pack into pkg/, then wasm-opt for size, then its .gz and .br) and the
# native binaries (portal, CLI) in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

# wasm-pack's own wasm-opt step is off: it would fetch a binaryen build, and Debian's binaryen
# is too old for current wasm-bindgen output. The npm package's wasm-opt runs instead.
wasm-pack build --target web --profile wasm --no-opt --no-typescript --no-pack --out-dir pkg --out-name tem .
rm -f pkg/.gitignore
tools/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers pkg/tem_bg.wasm -o pkg/tem_bg.wasm
node tools/precompress.mjs pkg
cargo build --release -p tem-portal -p tem-cli
