// What a shopper does, in a real Chromium against the real reference portal (real HTTP, a real
// SQLite file): scan a stamp with the camera (fed a video of a printed stamp), upload a photo,
// follow a deep link — plus the ways a portal can let the widget down. Screenshots of the
// results are saved under target/e2e/ for a person to look at.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PHONE, artefactDir, launchChromium, openWidget, startPortal } from './harness.mjs';
import { writeStampVideo } from './stamp-video.mjs';

const artefacts = artefactDir('e2e');
let portal, browser, base, demo, recalled, demoRecord;

before(async () => {
  portal = await startPortal();
  base = portal.base;
  // A unit sold at a retailer: authentic however often these tests check it.
  demo = portal.byCase('sold_unit');
  demoRecord = await portal.record(demo);
  for (const stamp of portal.stamps) {
    const record = await portal.record(stamp);
    if (record.recall) { recalled = { stamp, record }; break; }
  }
  const video = join(portal.work, 'stamp.y4m');
  writeStampVideo(demo.pngPath, video);
  browser = await launchChromium(video);
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

async function phonePage() {
  const context = await browser.newContext({ ...PHONE, locale: 'vi-VN', permissions: ['camera'] });
  const page = await context.newPage();
  const thirdParty = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
      thirdParty.push(request.url());
    }
  });
  page.on('pageerror', (error) => { throw error; });
  return { page, thirdParty };
}

async function assertShowsDemoRecord(page, shot) {
  const name = page.getByTestId('product-name');
  await name.waitFor({ timeout: 20_000 });
  assert.equal((await name.textContent()).trim(), demoRecord.product.name.vi);
  const stages = await page.$$eval('[data-testid=timeline] li', (items) => items.map((li) => li.dataset.stage));
  assert.deepEqual(stages, demoRecord.events.map((e) => e.stage));
  assert.ok(stages.length >= 4, 'a real history has several stages');
  const state = await page.getByTestId('verdict').getAttribute('data-state');
  assert.equal(state, 'ok', 'a signed record of a sold unit, matching its stamp, is authentic');
  await page.screenshot({ path: join(artefacts, shot), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artefacts, shot.replace('.png', '-first-screen.png')) });
}

describe('a shopper checks a stamp', () => {
  test('by scanning it with the camera', async () => {
    const { page, thirdParty } = await phonePage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Quét tem bằng camera' }).click();
    await assertShowsDemoRecord(page, 'result-camera.png');
    assert.equal(new URL(page.url()).searchParams.get('code'), demo.url, 'the result can be shared');
    assert.deepEqual(thirdParty, [], 'no request leaves the portal');
    await page.context().close();
  });

  test('by uploading a photo of it', async () => {
    const { page } = await phonePage();
    await page.goto(base);
    await page.getByTestId('photo-input').setInputFiles(demo.pngPath);
    await assertShowsDemoRecord(page, 'result-photo.png');
    await page.context().close();
  });

  test('by following a deep link, in English', async () => {
    const { page } = await phonePage();
    await openWidget(page, `${base}/?code=${encodeURIComponent(demo.url)}`);
    await assertShowsDemoRecord(page, 'result-deeplink.png');
    await page.getByRole('button', { name: 'English' }).click();
    const name = (await page.getByTestId('product-name').textContent()).trim();
    assert.equal(name, demoRecord.product.name.en ?? demoRecord.product.name.vi);
    await page.getByText('The product\'s journey').waitFor();
    await page.screenshot({ path: join(artefacts, 'result-english.png'), fullPage: true });
    await page.context().close();
  });

  test('by following a deep link on slow data: the portal\'s verdict first, then the device\'s', async () => {
    const { page } = await phonePage();
    const scans = async () => {
      const history = await fetch(`${base}/api/v1/scans?gtin=${demo.gtin}&serial=${demo.serial}`);
      return (await history.json()).count;
    };
    const before = await scans();
    // The widget's wasm held back, as slow mobile data holds it.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/pkg/tem_bg.wasm', async (route) => { await held; await route.continue(); });
    await page.goto(`${base}/?code=${encodeURIComponent(demo.url)}`);
    const first = page.locator('.first-view');
    await first.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('verdict').getAttribute('data-state'), 'ok');
    assert.equal((await first.getByTestId('product-name').textContent()).trim(), demoRecord.product.name.vi);
    // Nothing on it pretends to work before the widget does.
    assert.equal(await page.getByRole('button', { name: 'Kiểm tra tem khác' }).count(), 0);
    assert.equal(await scans(), before, 'opening the page counts no check; the widget does');
    await page.screenshot({ path: join(artefacts, 'result-deeplink-first-view.png') });
    // From the portal's view to the widget's, some verdict is on the page at every moment.
    await page.evaluate(() => {
      window.verdictLeft = false;
      new MutationObserver(() => {
        if (!document.querySelector('[data-testid=verdict]')) window.verdictLeft = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    release();
    await first.waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await page.evaluate(() => window.verdictLeft), false, 'the verdict never left the page');
    assert.equal(await page.getByTestId('verdict').count(), 1, 'one verdict on the page');
    assert.equal(await page.getByTestId('verdict').getAttribute('data-state'), 'ok');
    await page.getByRole('button', { name: 'Kiểm tra tem khác' }).waitFor();
    assert.equal(await scans(), before + 1, 'the device\'s check counted once');
    await page.context().close();
  });

  test('by following a deep link in a browser that cannot run the widget: the portal\'s check stays', async () => {
    const { page } = await phonePage();
    await page.route('**/pkg/tem_bg.wasm', (route) => route.abort());
    await page.goto(`${base}/?code=${encodeURIComponent(demo.url)}`);
    await page.getByRole('alert').filter({ hasText: 'không chạy được tem' }).waitFor();
    assert.equal(await page.locator('.first-view [data-testid=verdict]').getAttribute('data-state'), 'ok');
    await page.screenshot({ path: join(artefacts, 'result-deeplink-no-wasm.png') });
    await page.context().close();
  });

  test('by opening the stamp\'s own URL, as a phone\'s camera app does', async () => {
    const { page } = await phonePage();
    // The resolver sends a browser on to the widget with every data attribute of the stamp
    // kept, its AI 8030 signature among them.
    await openWidget(page, demo.url);
    await assertShowsDemoRecord(page, 'result-stamp-url.png');
    assert.equal(new URL(page.url()).searchParams.get('code'), demo.url);
    assert.equal(await page.locator('li.passed[data-check=StampSignature]').count(), 1, 'the stamp signature checked out');
    await page.context().close();
  });

  test('of a recalled lot, and sees the recall first', async () => {
    assert.ok(recalled, 'the demo data has a recalled lot');
    const { page } = await phonePage();
    await openWidget(page, `${base}/?code=${encodeURIComponent(recalled.stamp.url)}`);
    await page.getByTestId('recall').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('verdict').getAttribute('data-state'), 'recalled');
    await page.screenshot({ path: join(artefacts, 'result-recall.png'), fullPage: true });
    await page.context().close();
  });
});

describe('bad input and bad portals fail closed', () => {
  test('typed-in HTML is shown as text and never run', async () => {
    const { page } = await phonePage();
    await page.goto(base);
    await page.screenshot({ path: join(artefacts, 'home.png') });
    const hostile = '<img src=x onerror="document.title=\'pwned\'">';
    await page.locator('#code').fill(hostile);
    await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    await page.getByTestId('invalid').waitFor();
    assert.equal((await page.locator('pre.raw').textContent()), hostile);
    assert.equal(await page.locator('img[src=x]').count(), 0);
    assert.notEqual(await page.title(), 'pwned');
    await page.context().close();
  });

  test('another platform\'s link is named, with its domain, and not opened', async () => {
    const { page, thirdParty } = await phonePage();
    await page.goto(base);
    await page.locator('#code').fill('https://hungyen.check.net.vn/tem/HY-000123');
    await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    const notice = page.getByTestId('elsewhere');
    await notice.waitFor();
    assert.match(await notice.textContent(), /hungyen\.check\.net\.vn/);
    assert.equal(new URL(page.url()).origin, base);
    assert.deepEqual(thirdParty, []);
    await page.context().close();
  });

  for (const [name, answer, expected] of [
    ['an unreachable portal', (route) => route.abort('internetdisconnected'), 'caution'],
    ['a truncated record', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"id": "x", "product": {' }), 'caution'],
    ['a portal that errors', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down"}}' }), 'caution'],
    ['an unsigned record', (route) => route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify(demoRecord) }), 'caution'],
    ['a 404 page that is not the portal\'s', (route) => route.fulfill({ status: 404, contentType: 'text/html',
      body: '<html><body>Not Found</body></html>' }), 'caution'],
    ['an answer declared larger than a record can be', (route) => route.fulfill({ status: 200,
      contentType: 'application/jose', body: 'e'.repeat(3 * 1024 * 1024) }), 'caution'],
    ['another lot\'s genuinely signed record', async (route) => route.fulfill({ status: 200,
      contentType: 'application/jose', body: await portal.signedRecord(portal.stamps.find((s) => s.lot === 'MO2609')) }), 'bad'],
  ]) {
    test(`${name} never gives an authentic verdict`, async () => {
      const { page } = await phonePage();
      await page.route((url) => url.searchParams.get('linkType') === 'gs1:traceability', answer);
      await openWidget(page, `${base}/?code=${encodeURIComponent(demo.url)}`);
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor({ timeout: 20_000 });
      assert.equal(await verdict.getAttribute('data-state'), expected);
      await page.context().close();
    });
  }
});

test('an answer that never ends is cut at the record cap and said to be too large', async () => {
  // A real server that streams without a length, for as long as anyone reads: only the
  // widget's own cap (1 MiB) can end the exchange.
  let sent = 0;
  let closed = false;
  const endless = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/jose', 'access-control-allow-origin': '*' });
    const chunk = Buffer.alloc(64 * 1024, 'e');
    const more = () => {
      while (!closed && sent < 512 * 1024 * 1024) {
        sent += chunk.length;
        if (!response.write(chunk)) return response.once('drain', more);
      }
    };
    response.on('close', () => { closed = true; });
    more();
  });
  await new Promise((resolve) => endless.listen(0, '127.0.0.1', resolve));
  const { page } = await phonePage();
  await page.route((url) => url.searchParams.get('linkType') === 'gs1:traceability',
    (route) => route.continue({ url: `http://127.0.0.1:${endless.address().port}/endless` }));
  await openWidget(page, `${base}/?code=${encodeURIComponent(demo.url)}`);
  const verdict = page.getByTestId('verdict');
  await verdict.waitFor({ timeout: 20_000 });
  assert.equal(await verdict.getAttribute('data-state'), 'caution');
  assert.equal((await page.getByTestId('record-error').textContent()).trim(),
    'Dữ liệu nhận được quá lớn, đã bị từ chối.');
  for (let waited = 0; !closed && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  assert.ok(closed, 'the widget hung up');
  // What TCP buffers hold besides the cap; reading on to the end would be 512 MiB.
  assert.ok(sent < 64 * 1024 * 1024, `${sent} bytes were sent before the widget hung up`);
  await page.context().close();
  endless.close();
});

describe('a shopper whose camera cannot be used is told why and what to do', () => {
  const scanWith = async (browserToUse, url, contextOptions = {}) => {
    const context = await browserToUse.newContext({ ...PHONE, locale: 'vi-VN', ...contextOptions });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Quét tem bằng camera' }).click();
    const status = page.getByTestId('camera-status');
    return { page, context, status };
  };

  test('when permission is refused', async () => {
    // A fake camera exists, but nothing grants the permission prompt: headless Chromium refuses it.
    const refusing = await launchChromium(null, ['--use-fake-device-for-media-stream']);
    try {
      const { page, status } = await scanWith(refusing, base);
      await page.getByTestId('camera-status').filter({ hasText: 'Camera đã bị chặn' }).waitFor({ timeout: 10_000 });
      assert.match(await status.textContent(), /Cho phép/);
      await page.getByRole('button', { name: 'Đóng' }).click();
      await page.getByText('Chọn ảnh có sẵn').waitFor();
    } finally {
      await refusing.close();
    }
  });

  test('when the device has no camera', async () => {
    const cameraless = await launchChromium(null, ['--use-fake-ui-for-media-stream']);
    try {
      const { page } = await scanWith(cameraless, base);
      await page.getByTestId('camera-status').filter({ hasText: 'Không tìm thấy camera' }).waitFor({ timeout: 10_000 });
    } finally {
      await cameraless.close();
    }
  });

  test('when the page is not served over HTTPS', async () => {
    // A non-loopback host name over plain HTTP is not a secure context.
    const remote = await launchChromium(null, ['--host-resolver-rules=MAP tem.test 127.0.0.1']);
    try {
      const { page } = await scanWith(remote, base.replace('127.0.0.1', 'tem.test'));
      await page.getByTestId('camera-status').filter({ hasText: 'chỉ cho dùng camera trên trang HTTPS' }).waitFor({ timeout: 10_000 });
    } finally {
      await remote.close();
    }
  });
});
