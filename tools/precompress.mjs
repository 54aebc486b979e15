// Writes .gz and .br beside each of the widget's build outputs (wasm, JS, CSS), compressed once at the
// strongest settings, so the portal serves them as they are instead of compressing the wasm
// on every request (usage: node tools/precompress.mjs DIR...). The .gz files are zopfli's:
// ordinary gzip that any browser reads, some 6 % smaller than zlib's best, for a few seconds
// of build time.
//
// The page's own CSS and scripts (www/) stay readable in the repository; what is compressed
// is their minified form (esbuild), the same rules and code without comments and spaces, so
// what browsers are sent is the smaller one. wasm-bindgen's glue is minified by build.sh.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { transformSync } from 'esbuild';

function sent(path) {
  const bytes = readFileSync(path);
  if (path.endsWith('.css')) return Buffer.from(transformSync(bytes.toString(), { loader: 'css', minify: true }).code);
  // The service worker's build stamp and the glue are left as written.
  if (/(^|\/)www\/[^/]+\.js$/.test(path) && !path.endsWith('sw-build.js')) {
    return Buffer.from(transformSync(bytes.toString(), { loader: 'js', minify: true }).code);
  }
  return bytes;
}

for (const dir of process.argv.slice(2)) {
  for (const name of readdirSync(dir)) {
    if (!/\.(wasm|js|css)$/.test(name)) continue;
    const path = join(dir, name);
    const bytes = sent(path);
    writeFileSync(`${path}.gz`, await gzipAsync(bytes, { numiterations: 15 }));
    writeFileSync(`${path}.br`, brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }));
  }
}
