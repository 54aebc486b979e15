// Camera hygiene: the camera is never left on behind the shopper's back, and a decoder that
// cannot run is not restarted forever. Chromium's fake camera plays a video of a real stamp.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PHONE, launchChromium, startPortal } from './harness.mjs';
import { writeStampVideo } from './stamp-video.mjs';

let portal, browser;

before(async () => {
  portal = await startPortal();
  const video = join(portal.work, 'stamp.y4m');
  writeStampVideo(portal.byCase('sold_unit').pngPath, video);
  browser = await launchChromium(video);
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

/** A page whose camera streams and decoding workers are counted; `playDelayMs` holds every
 * video's play() that long, as a slow phone does. */
async function cameraPage({ playDelayMs = 0 } = {}) {
  const context = await browser.newContext({ ...PHONE, locale: 'vi-VN', permissions: ['camera'] });
  await context.addInitScript((delay) => {
    window.__streams = [];
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (...args) => {
      const stream = await real(...args);
      window.__streams.push(stream);
      return stream;
    };
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      return new Promise((resolve) => setTimeout(resolve, delay)).then(() => play.call(this));
    };
    window.__workers = 0;
    const RealWorker = window.Worker;
    window.Worker = class extends RealWorker {
      constructor(...args) { super(...args); window.__workers++; }
    };
    window.__setHidden = (hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    };
  }, playDelayMs);
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  return page;
}

const liveTracks = (page) =>
  page.evaluate(() => window.__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length);

async function eventually(check, what, timeoutMs = 5000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) assert.fail(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the camera', () => {
  test('is off once the scanner closes, even while the preview was starting', async () => {
    const page = await cameraPage({ playDelayMs: 3000 });
    await page.goto(portal.base);
    await page.getByRole('button', { name: 'Quét tem bằng camera' }).click();
    await eventually(() => page.evaluate(() => window.__streams.length === 1), 'the camera was opened');
    assert.equal(await liveTracks(page), 1);
    // Still inside video.play(): close now.
    await page.getByRole('button', { name: 'Đóng' }).click();
    await eventually(async () => (await liveTracks(page)) === 0, 'every track ended after closing');
    await page.waitForTimeout(3500);
    assert.equal(await liveTracks(page), 0, 'and stays ended once play() resolves');
    await page.context().close();
  });

  test('is off while the page is hidden, and scanning goes on when it is back', async () => {
    const page = await cameraPage();
    await page.goto(portal.base);
    await page.evaluate(() => window.__setHidden(true));
    await page.getByRole('button', { name: 'Quét tem bằng camera' }).click();
    await page.waitForTimeout(1500);
    assert.equal(await liveTracks(page), 0, 'a hidden page does not film');
    assert.equal(await page.evaluate(() => window.__workers), 0, 'nor decode');
    await page.evaluate(() => window.__setHidden(false));
    await page.getByTestId('verdict').waitFor({ timeout: 20_000 });
    const tracks = await page.evaluate(() => window.__streams.map((s) => s.getTracks().map((t) => t.readyState).join()));
    assert.equal(await liveTracks(page), 0, `the camera is off once the code is read: ${tracks}`);
    await page.context().close();
  });
});

describe('a decoder that cannot start', () => {
  test('is tried again with growing waits, then given up, and the shopper is told', async () => {
    const page = await cameraPage();
    await page.route('**/worker.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(portal.base);
    await page.getByRole('button', { name: 'Quét tem bằng camera' }).click();
    // The scanner's own line says it; the live region repeats it for screen readers.
    const status = page.getByTestId('camera-status');
    await status.filter({ hasText: 'Bộ giải mã gặp lỗi, đang khởi động lại…' }).waitFor({ timeout: 10_000 });
    await status.filter({ hasText: 'Không quét được trên trình duyệt này' }).waitFor({ timeout: 15_000 });
    const tries = await page.evaluate(() => window.__workers);
    assert.equal(tries, 5, 'five tries, not one every frame');
    await page.waitForTimeout(3000);
    assert.equal(await page.evaluate(() => window.__workers), tries, 'and no more after giving up');
    await page.context().close();
  });
});
