// Browser benchmark: decode time per 640×480 frame in the widget's worker, the path from the
// first camera frame to the verdict on screen, a deep link to the verdict over slow mobile data,
// and the widget's transfer size: the bytes the
// portal sends to a browser that takes gzip (the budget's measure) and to one that takes
// brotli, for the page (what a deep link or an embed downloads) and for the decoder (what the
// scanner's worker adds). Writes target/bench/browser.json. It judges one thing only: it exits
// non-zero when the page is over its size budget (PAGE_BUDGET_BYTES), so CI fails the build.
//   node tests/e2e/bench.mjs [frames]
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { PHONE, artefactDir, launchChromium, startPortal } from './harness.mjs';
import { writeStampVideo } from './stamp-video.mjs';

const frames = Number(process.argv[2] ?? 40);
/** The page as sent, gzip: wasm, JS and CSS. DESIGN's aim is 150 KB; the page is still far
 * from it (Yew and the components rendered with it are the largest part, then the payload,
 * GS1 and signature checks). The limit sits just above the page as measured (212.2 KB), so
 * any growth is seen; it only ever comes down. */
const PAGE_BUDGET_BYTES = 212.6 * 1000;

/** Length of the body as sent (still encoded) for a request accepting `encodings`. */
const servedBytes = (url, encodings) => new Promise((resolve, reject) => {
  get(url, { headers: { 'Accept-Encoding': encodings } }, (response) => {
    let length = 0;
    response.on('data', (chunk) => { length += chunk.length; });
    response.on('end', () => resolve(length));
  }).on('error', reject);
});
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const summary = (values) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), n: values.length });

const portal = await startPortal();
const demo = portal.byCase('sold_unit');
const video = join(portal.work, 'stamp.y4m');
writeStampVideo(demo.pngPath, video);
const browser = await launchChromium(video);
try {
  const page = await browser.newPage();
  await page.goto(portal.base);
  // The same worker the widget uses, fed 640×480 frames: a stamp in the middle, and a frame
  // with no code at all (what the loop sees most of the time while the shopper aims).
  const decode = await page.evaluate(async ({ png, frames }) => {
    const image = new Image();
    image.src = png;
    await image.decode();
    const canvas = new OffscreenCanvas(640, 480);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const worker = new Worker('worker.js', { type: 'module' });
    let id = 0;
    const run = (data, thorough = false) => new Promise((resolve, reject) => {
      const mine = ++id;
      worker.onmessage = ({ data: reply }) => {
        if (reply.id !== mine) return;
        if (reply.error) reject(new Error(reply.error)); else resolve(reply);
      };
      worker.postMessage({ id: mine, width: 640, height: 480, data: data.buffer, thorough }, [data.buffer]);
    });
    const frame = (withStamp) => {
      context.fillStyle = '#8a8f8c';
      context.fillRect(0, 0, 640, 480);
      if (withStamp) context.drawImage(image, 200, 120, 240, 240);
      return context.getImageData(0, 0, 640, 480).data;
    };
    // Warm-up, about three seconds of scanning: instantiates the wasm in the worker and gives
    // the engine time to optimise it, as a phone has while the shopper aims; the figures are
    // for the worker in that steady state, not its first frames.
    for (let i = 0; i < 30; i++) await run(frame(i % 2 === 0));
    const result = { stamp: [], empty: [], photo: [], found: 0 };
    for (let i = 0; i < frames; i++) {
      const stamp = await run(frame(true));
      result.stamp.push(stamp.ms);
      result.found += stamp.codes.length > 0 ? 1 : 0;
      result.empty.push((await run(frame(false))).ms);
      // The same frame as a photo: every pass, which a frame with no code runs to the end.
      if (i < 5) result.photo.push((await run(frame(false), true)).ms);
    }
    worker.terminate();
    return result;
  }, { png: `/stamps/${demo.png}`, frames });

  // Camera to verdict, from the widget's own performance marks.
  const scans = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ ...PHONE, locale: 'vi-VN', permissions: ['camera'] });
    const phone = await context.newPage();
    await phone.goto(portal.base);
    await phone.getByRole('button', { name: 'Quét tem bằng camera' }).click();
    await phone.getByTestId('verdict').waitFor({ timeout: 20_000 });
    scans.push(await phone.evaluate(() => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
      return { frameToCode: at('tem:code-found') - at('tem:first-frame'), codeToAnswers: at('tem:answers') - at('tem:code-found'),
        answersToVerdict: at('tem:verdict') - at('tem:answers'), codeToVerdict: at('tem:verdict') - at('tem:code-found'),
        frameToVerdict: at('tem:verdict') - at('tem:first-frame') };
    }));
    await context.close();
  }

  // A deep link opened on slow mobile data with a cold cache: 500 kbps each way, 400 ms round
  // trips (Chromium's network emulation), from navigation to the verdict on screen (the
  // browser's own Element Timing of the first verdict painted: the portal's first view when
  // the page came with one) and to the widget's own check of it on the device.
  const deepLinks = [];
  const deviceChecks = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    const cdp = await context.newCDPSession(phone);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 400, downloadThroughput: 500_000 / 8, uploadThroughput: 500_000 / 8,
    });
    await phone.goto(`${portal.base}/?code=${encodeURIComponent(demo.url)}`, { timeout: 60_000 });
    await phone.waitForFunction(() => performance.getEntriesByName('tem:verdict').length > 0, null,
      { timeout: 60_000 });
    const { painted, checked } = await phone.evaluate(() => new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('no Element Timing entry for the verdict')), 10_000);
      new PerformanceObserver((entries, observer) => {
        const verdict = entries.getEntries().find((entry) => entry.identifier === 'verdict');
        if (!verdict) return;
        observer.disconnect();
        resolve({
          painted: verdict.renderTime || verdict.loadTime,
          checked: performance.getEntriesByName('tem:verdict')[0].startTime,
        });
      }).observe({ type: 'element', buffered: true });
    }));
    deepLinks.push(painted);
    deviceChecks.push(checked);
    await context.close();
  }

  // The bytes the portal sends for each of the widget's files, as a browser that takes only
  // gzip and one that also takes brotli would receive them.
  const pageFiles = ['/pkg/tem_bg.wasm', '/pkg/tem.js', '/app.js', '/style.css'];
  const decoderFiles = ['/worker.js', '/pkg/decoder/tem_decoder.js', '/pkg/decoder/tem_decoder_bg.wasm'];
  const transfer = async (paths, encodings) => {
    const sizes = {};
    for (const path of paths) sizes[path] = await servedBytes(`${portal.base}${path}`, encodings);
    return { ...sizes, total: Object.values(sizes).reduce((a, b) => a + b, 0) };
  };
  const gzipOnly = { page: await transfer(pageFiles, 'gzip'), decoder: await transfer(decoderFiles, 'gzip'),
    html: await servedBytes(`${portal.base}/`, 'gzip') };
  const withBrotli = { page: await transfer(pageFiles, 'br, gzip'), decoder: await transfer(decoderFiles, 'br, gzip') };
  const report = {
    decode_ms_640x480_with_stamp: summary(decode.stamp),
    decode_ms_640x480_without_code: summary(decode.empty),
    decode_ms_640x480_photo_mode_without_code: summary(decode.photo),
    stamp_frames_read: `${decode.found}/${frames}`,
    first_frame_to_code_ms: summary(scans.map((s) => s.frameToCode)),
    code_to_answers_ms: summary(scans.map((s) => s.codeToAnswers)),
    answers_to_verdict_ms: summary(scans.map((s) => s.answersToVerdict)),
    code_to_verdict_ms: summary(scans.map((s) => s.codeToVerdict)),
    first_frame_to_verdict_ms: summary(scans.map((s) => s.frameToVerdict)),
    deep_link_to_verdict_ms_500kbps_400ms_rtt_cold: summary(deepLinks),
    deep_link_to_device_checked_verdict_ms_500kbps_400ms_rtt_cold: summary(deviceChecks),
    transfer_gzip_bytes: gzipOnly,
    transfer_brotli_bytes: withBrotli,
  };
  writeFileSync(join(artefactDir('bench'), 'browser.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  if (gzipOnly.page.total > PAGE_BUDGET_BYTES) {
    console.error(`the page is ${gzipOnly.page.total} bytes gzip, over its budget of ${PAGE_BUDGET_BYTES}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  portal.stop();
}
