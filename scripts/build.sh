#!/usr/bin/env bash
# Builds the widget (wasm-pack into pkg/, then wasm-opt for size, then its .gz and .br) and the
# native binaries (portal, CLI) in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

# wasm-pack's own wasm-opt step is off: it would fetch a binaryen build, and Debian's binaryen
# is too old for current wasm-bindgen output. The npm package's wasm-opt runs instead.
# Two wasm files: the page's (pkg/tem_bg.wasm: widget, records, signatures) and the decoding
# worker's (pkg/decoder/tem_decoder_bg.wasm), which only the scanner downloads.
wasm-pack build --target web --profile wasm --no-opt --no-typescript --no-pack --out-dir pkg --out-name tem .
wasm-pack build --target web --profile wasm --no-opt --no-typescript --no-pack \
  --out-dir ../../pkg/decoder --out-name tem_decoder crates/tem-decoder
rm -f pkg/.gitignore pkg/decoder/.gitignore
# The producers and target-features sections are for toolchains, not for browsers.
# --low-memory-unused lets wasm-opt fold constant offsets into loads and stores. Its premise
# holds for Rust's wasm: the first 1 KB of memory is the bottom of the stack, reached only
# when the stack has overflowed, which is already undefined. --converge runs the passes again
# until the module stops shrinking: the page's wasm came out 0.9 KB gzip smaller, for some 15
# seconds more of build.
for wasm in pkg/tem_bg.wasm pkg/decoder/tem_decoder_bg.wasm; do
  tools/node_modules/.bin/wasm-opt -Oz --low-memory-unused --converge --strip-debug \
    --strip-producers --strip-target-features "$wasm" -o "$wasm"
done
# wasm-bindgen's glue is written to be read; minified it is a fifth smaller over the wire.
for js in pkg/tem.js pkg/decoder/tem_decoder.js; do
  tools/node_modules/.bin/esbuild "$js" --minify --format=esm --log-level=warning \
    --allow-overwrite --outfile="$js"
done
# The service worker keeps one copy of the shell per build: what it is built from names it.
build_id=$(cat pkg/tem.js pkg/tem_bg.wasm pkg/decoder/tem_decoder.js pkg/decoder/tem_decoder_bg.wasm \
  www/*.html www/*.css www/app.js www/worker.js www/embed*.js | sha256sum | cut -c1-16)
echo "self.TEM_BUILD = '$build_id';" > www/sw-build.js
# The page's own files (www/) are served compressed too: .gz/.br beside them, git-ignored.
node tools/precompress.mjs pkg pkg/decoder www
# The portal's load test (its example) is built with them. Built alone (`cargo run -p
# tem-portal --example load`), it has cargo resolve features without the CLI's and with the
# portal's dev-dependencies, and build a second release copy of the portal and of every crate
# whose features differ: two to three minutes of each test run.
cargo build --release -p tem-portal -p tem-cli --bins --example load
