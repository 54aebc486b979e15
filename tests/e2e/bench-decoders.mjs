// Side-by-side browser benchmark (it measures, it does not judge): tem's decoder wasm (the
// worker's, camera effort and thorough), zxing-wasm (zxing-cpp, its reader build, default
// options) and jsQR, handed the same ImageData in one headless Chromium page. Three sets of
// frames are made from every image of the shared QR corpus:
//   camera   the image fitted into 640×480 (tem_scan::CAMERA_FRAME), as a camera frame of
//            it would be
//   scanbox  the widget's own crop: the image fitted into the 1280×720 the widget asks the
//            camera for, the centre square of 0.8 × the short side, scaled to at most 640,
//            CAMERA_FRAME's long side (src/services/frames.rs)
//   photo    the image at full size, as a picked photo
// plus frames with no code in photo mode (what a failed photo costs). Read rate (the corpus
// rule: some payload equals the `.txt`, as bytes), median and p95 time per frame for each
// decoder, and the ratios to zxing-wasm, go to target/bench/decoders.json.
//   node tests/e2e/bench-decoders.mjs [--sets camera,scanbox,photo,nocode] [--limit N]
//                                     [--repeat N] [--corpus DIR]
// --repeat times each camera and scan-box frame N times (default 3) and keeps the median:
// the machine is shared, and one run is noisy. Photos are timed once.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { artefactDir, launchChromium, root, startPortal } from './harness.mjs';

const { values: options } = parseArgs({
  options: {
    sets: { type: 'string', default: 'camera,scanbox,photo,nocode' },
    limit: { type: 'string', default: '0' },
    repeat: { type: 'string', default: '3' },
    corpus: { type: 'string', default: join(process.env.TEM_SHARED || join(root, '../shared'), 'corpus/qr') },
  },
});
const sets = options.sets.split(',');
const repeat = Math.max(1, Number(options.repeat));

const IMAGE = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp']);
const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp',
  '.gif': 'image/gif', '.bmp': 'image/bmp', '.js': 'text/javascript', '.wasm': 'application/wasm' };

function corpusImages(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (IMAGE.has(extname(name).toLowerCase())) {
        const txt = path.slice(0, -extname(name).length) + '.txt';
        try {
          const rel = relative(dir, path);
          out.push({ rel, url: `/bench/corpus/${rel.split('/').map(encodeURIComponent).join('/')}`,
            expected: readFileSync(txt).toString('base64') });
        } catch { /* no expected text: not scored */ }
      }
    }
  };
  walk(dir);
  return out;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
};
const round = (v) => (v === null ? null : Math.round(v * 100) / 100);

const images = corpusImages(options.corpus);
if (images.length === 0) throw new Error(`no images with expected .txt under ${options.corpus}`);
const limit = Number(options.limit);
const chosen = limit > 0 ? images.filter((_, i) => i % Math.ceil(images.length / limit) === 0) : images;

const node = join(root, 'tests/e2e/node_modules');
const served = {
  '/bench/zxing.js': join(node, 'zxing-wasm/dist/iife/reader/index.js'),
  '/bench/zxing_reader.wasm': join(node, 'zxing-wasm/dist/reader/zxing_reader.wasm'),
  '/bench/jsqr.js': join(node, 'jsqr/dist/jsQR.js'),
};

const portal = await startPortal();
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  // The peers and the corpus are served to this page only, never by the portal.
  await page.route('**/bench/**', (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    const file = served[path] ?? (path.startsWith('/bench/corpus/') ? join(options.corpus, path.slice(14)) : null);
    try {
      return route.fulfill({ body: readFileSync(file), contentType: MIME[extname(file).toLowerCase()] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  await page.goto(portal.base);
  await page.addScriptTag({ url: '/bench/zxing.js' });
  await page.addScriptTag({ url: '/bench/jsqr.js' });
  await page.evaluate(async () => {
    const tem = await import('/pkg/decoder/tem_decoder.js');
    await tem.default();
    await ZXingWASM.prepareZXingModule({
      overrides: { locateFile: (file) => `/bench/${file}` },
      fireImmediately: true,
    });
    const latin1 = (text) => ([...text].every((c) => c.charCodeAt(0) < 256)
      ? Uint8Array.from(text, (c) => c.charCodeAt(0)) : null);
    const utf8 = (text) => new TextEncoder().encode(text);
    const shiftJis = new TextDecoder('shift_jis');
    // Each decoder answers the payloads it read as byte strings; a text payload counts as its
    // UTF-8 bytes or, when it holds only code points below 256, as ISO 8859-1 bytes, and
    // those bytes read as Shift JIS. tem's worker wasm answers text only and, unlike the CLI,
    // leaves out the Shift JIS tables (no Vietnamese stamp needs them), so it answers a
    // Japanese code's bytes as ISO 8859-1 where the corpus expects their UTF-8 text; the
    // same guess is made for every decoder.
    const fromText = (texts) => texts.flatMap((t) => {
      const bytes = latin1(t);
      return [utf8(t), bytes, bytes && utf8(shiftJis.decode(bytes))].filter(Boolean);
    });
    window.bench = {
      decoders: {
        'tem-camera': async (image) => fromText(JSON.parse(tem.decode_frame(image.data, image.width, image.height, false)).map((c) => c.text)),
        'tem-thorough': async (image) => fromText(JSON.parse(tem.decode_frame(image.data, image.width, image.height, true)).map((c) => c.text)),
        zxing: async (image) => (await ZXingWASM.readBarcodes(image)).flatMap((r) => [r.bytes, ...fromText([r.text])]),
        jsqr: async (image) => {
          const found = jsQR(image.data, image.width, image.height);
          return found ? [Uint8Array.from(found.binaryData), ...fromText([found.data])] : [];
        },
      },
      canvas: new OffscreenCanvas(1, 1),
      /** `source` (an ImageBitmap) drawn from its region `sx, sy, sw, sh` into `w` × `h`. */
      draw(source, [sx, sy, sw, sh], w, h) {
        this.canvas.width = w;
        this.canvas.height = h;
        const context = this.canvas.getContext('2d', { willReadFrequently: true });
        context.imageSmoothingQuality = 'high';
        // On white, as a page shows it: a transparent PNG's empty pixels are black in RGBA,
        // which no camera sees.
        context.fillStyle = '#fff';
        context.fillRect(0, 0, w, h);
        context.drawImage(source, sx, sy, sw, sh, 0, 0, w, h);
        return context.getImageData(0, 0, w, h);
      },
      fitted(bitmap, maxW, maxH) {
        const scale = Math.min(maxW / bitmap.width, maxH / bitmap.height);
        const [w, h] = [Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale))];
        return this.draw(bitmap, [0, 0, bitmap.width, bitmap.height], w, h);
      },
      frames(bitmap, set) {
        if (set === 'camera') return this.fitted(bitmap, 640, 480);
        if (set === 'photo') return this.draw(bitmap, [0, 0, bitmap.width, bitmap.height], bitmap.width, bitmap.height);
        // scanbox: what the widget's FrameGrabber hands the worker from a 1280×720 camera.
        const scale = Math.min(1280 / bitmap.width, 720 / bitmap.height);
        const side = Math.min(bitmap.width, bitmap.height) * scale * 0.8;
        const sourceSide = side / scale;
        const out = Math.round(Math.min(side, 640));
        return this.draw(bitmap, [(bitmap.width - sourceSide) / 2, (bitmap.height - sourceSide) / 2, sourceSide, sourceSide], out, out);
      },
      async time(name, image, runs) {
        const times = [];
        let payloads = [];
        for (let i = 0; i < runs; i++) {
          // A fresh copy each run: zxing-wasm and tem's glue may keep or detach nothing, but a
          // decoder must never see another's leftovers.
          const copy = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
          const started = performance.now();
          payloads = await this.decoders[name](copy);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        return { ms: times[Math.floor(times.length / 2)], payloads };
      },
    };
  });

  // Warm-up: instantiating and tiering up each wasm is not the steady state a scanner is in.
  await page.evaluate(async ({ url }) => {
    const bitmap = await createImageBitmap(await (await fetch(url)).blob());
    const frame = window.bench.frames(bitmap, 'camera');
    for (let i = 0; i < 10; i++) {
      for (const name of Object.keys(window.bench.decoders)) await window.bench.time(name, frame, 1);
    }
  }, chosen[0]);

  const decodersOf = { camera: ['tem-camera', 'zxing', 'jsqr'], scanbox: ['tem-camera', 'zxing', 'jsqr'],
    photo: ['tem-thorough', 'zxing', 'jsqr'] };
  const results = {};
  for (const set of sets.filter((s) => s in decodersOf)) {
    const rows = [];
    for (const { rel, url, expected } of chosen) {
      rows.push(await page.evaluate(async ({ rel, url, expected, set, names, runs }) => {
        const want = Uint8Array.from(atob(expected), (c) => c.charCodeAt(0));
        const same = (a) => a.length === want.length && a.every((b, i) => b === want[i]);
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        const frame = window.bench.frames(bitmap, set);
        bitmap.close();
        const row = { rel, size: [frame.width, frame.height] };
        for (const name of names) {
          const { ms, payloads } = await window.bench.time(name, frame, runs);
          row[name] = { ms, read: payloads.some(same) };
        }
        return row;
      }, { rel, url, expected, set, names: decodersOf[set], runs: set === 'photo' ? 1 : repeat }));
    }
    results[set] = rows;
    console.error(`${set}: ${rows.length} frames`);
  }

  // Frames with no code, in photo mode: what a shopper waits for when the photo holds none.
  let nocode = null;
  if (sets.includes('nocode')) {
    nocode = await page.evaluate(async () => {
      const make = (w, h, texture) => {
        const data = new Uint8ClampedArray(w * h * 4);
        let seed = 12345;
        for (let i = 0; i < w * h; i++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          // Flat grey, or print-like texture: blocks of dark and light with noise.
          const x = i % w, y = Math.floor(i / w);
          const block = ((x >> 3) * 7 + (y >> 3) * 13) % 5 < 2;
          const v = texture ? (block ? 60 : 200) + (seed >>> 27) : 0x8c;
          data.set([v, v, v, 255], 4 * i);
        }
        return new ImageData(data, w, h);
      };
      const frames = { 'grey-640x480': make(640, 480, false), 'texture-640x480': make(640, 480, true),
        'texture-1600x1200': make(1600, 1200, true), 'texture-4000x3000': make(4000, 3000, true) };
      const out = {};
      for (const [label, frame] of Object.entries(frames)) {
        out[label] = {};
        for (const name of ['tem-thorough', 'tem-camera', 'zxing', 'jsqr']) {
          out[label][name] = round3((await window.bench.time(name, frame, 3)).ms);
        }
      }
      return out;
      function round3(v) { return Math.round(v * 100) / 100; }
    });
  }

  const summary = {};
  for (const [set, rows] of Object.entries(results)) {
    const names = decodersOf[set];
    summary[set] = { frames: rows.length };
    for (const name of names) {
      const times = rows.map((r) => r[name].ms);
      const read = rows.filter((r) => r[name].read).length;
      summary[set][name] = { read, rate: round(100 * read / rows.length), median_ms: round(quantile(times, 0.5)),
        p95_ms: round(quantile(times, 0.95)), max_ms: round(Math.max(...times)) };
    }
    const [tem] = names;
    for (const peer of ['zxing', 'jsqr']) {
      summary[set][`${tem}/${peer}`] = {
        rate: round(summary[set][tem].rate / summary[set][peer].rate),
        median: round(summary[set][tem].median_ms / summary[set][peer].median_ms),
        p95: round(summary[set][tem].p95_ms / summary[set][peer].p95_ms),
      };
    }
  }
  const report = { chromium: await browser.version(), repeat, summary, nocode_photo_ms: nocode, frames: results };
  writeFileSync(join(artefactDir('bench'), 'decoders.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify({ summary, nocode_photo_ms: nocode }, null, 2));
} finally {
  await browser.close();
  portal.stop();
}
