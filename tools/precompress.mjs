// Writes .gz and .br beside each of the widget's build outputs (wasm, JS, CSS), compressed once at the
// strongest settings, so the portal serves them as they are instead of compressing the wasm
// on every request (usage: node tools/precompress.mjs DIR...). The .gz files are zopfli's:
// ordinary gzip that any browser reads, some 6 % smaller than zlib's best, for a few seconds
// of build time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';

for (const dir of process.argv.slice(2)) {
  for (const name of readdirSync(dir)) {
    if (!/\.(wasm|js|css)$/.test(name)) continue;
    const path = join(dir, name);
    const bytes = readFileSync(path);
    writeFileSync(`${path}.gz`, await gzipAsync(bytes, { numiterations: 15 }));
    writeFileSync(`${path}.br`, brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }));
  }
}
