// One seeded stamp per verdict (DESIGN §5), opened as a shopper would, in Vietnamese: the
// verdict and what the first screen says, with a phone-sized screenshot of each in
// target/e2e/verdict-*.png. Plus what happens with the portal down and hostile record text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PHONE, artefactDir, launchChromium, openWidget, startPortal } from './harness.mjs';

const artefacts = artefactDir('e2e');
let portal, browser;

before(async () => {
  portal = await startPortal();
  browser = await launchChromium(null);
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

async function open(code, { context } = {}) {
  const own = context ?? await browser.newContext({ ...PHONE, locale: 'vi-VN' });
  const page = await own.newPage();
  const thirdParty = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(portal.base) && !/^(data|blob):/.test(request.url())) thirdParty.push(request.url());
  });
  page.on('pageerror', (error) => { throw error; });
  await openWidget(page, `${portal.base}/?code=${encodeURIComponent(code)}`);
  const verdict = page.getByTestId('verdict');
  await verdict.waitFor({ timeout: 20_000 });
  return { page, verdict, thirdParty, context: own };
}

/** The text a shopper sees without scrolling or opening anything. */
async function firstScreen(page) {
  return page.evaluate(() => {
    const visible = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const element = node.parentElement;
      if (!element || !node.textContent.trim() || element.closest('details:not([open]) > :not(summary)')) continue;
      const box = element.getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight && box.width > 0) visible.push(node.textContent.trim());
    }
    return visible.join(' ');
  });
}

const CASES = [
  ['genuine_unit', 'ok', 'Xác thực', /lần đầu tem này được kiểm tra/],
  ['lot_stamp', 'caution', 'Cần lưu ý', /không có số sê-ri riêng/],
  ['recalled', 'recalled', 'Đã thu hồi', /ĐÃ THU HỒI/],
  ['expired', 'caution', 'Cần lưu ý', /đã hết hạn sử dụng từ/],
  ['cloned', 'bad', 'Không xác thực', /quét \d+ lần ở 5 tỉnh\/thành/],
  ['lookalike_domain', 'bad', 'Không xác thực', /giả dạng truyxuatnguongoc\.gov\.vn/],
  ['tampered', 'bad', 'Không xác thực', /bị sửa sau khi ký/],
  ['unknown_key', 'caution', 'Cần lưu ý', /không có trong danh sách tin cậy/],
  ['expired_key', 'caution', 'Cần lưu ý', /hết hiệu lực/],
  ['void', 'bad', 'Không xác thực', /đã hủy tem này/],
  ['label_only', 'caution', 'Cần lưu ý', /Tem chỉ có thông tin nhãn, không có lịch sử sản xuất/],
  ['unreceived_shipment', 'caution', 'Cần lưu ý', /xuất hàng đi nhưng sau đó không có bước nhận hàng/],
];

describe('each seeded stamp gets the verdict it deserves, said on the first screen', () => {
  for (const [name, state, title, reason] of CASES) {
    test(name, async () => {
      const stamp = portal.byCase(name);
      const { page, verdict, thirdParty, context } = await open(stamp.url);
      assert.equal(await verdict.getAttribute('data-state'), state);
      assert.equal((await verdict.locator('h2').textContent()).trim(), title);
      const seen = await firstScreen(page);
      assert.match(seen, reason, `first screen: ${seen}`);
      if (state !== 'ok') assert.doesNotMatch(seen, /^Xác thực$/m);
      assert.deepEqual(thirdParty, [], 'no request leaves the portal');
      await page.screenshot({ path: join(artefacts, `verdict-${name}.png`) });
      await context.close();
    });
  }

  test('a lookalike domain is named at the top, not in a folded section', async () => {
    const { page, context } = await open(portal.byCase('lookalike_domain').url);
    const failed = page.locator('[data-testid=verdict] > ul.checks li.failed[data-check=StampDomain]');
    assert.ok(await failed.isVisible(), 'the domain check is listed open under the verdict');
    assert.match(await failed.textContent(), /xn--/);
    await context.close();
  });

  test('a link hiding its real host behind user@ is not authentic, with the real host shown', async () => {
    const genuine = portal.byCase('genuine_unit').url;
    const disguised = genuine.replace('://', '://truyxuatnguongoc.gov.vn@');
    const { page, verdict, context } = await open(disguised);
    assert.equal(await verdict.getAttribute('data-state'), 'bad');
    assert.match(await firstScreen(page), /127\.0\.0\.1/);
    await context.close();
  });
});

describe('how complete the record is', () => {
  test('a full history says so next to the verdict', async () => {
    const { page, context } = await open(portal.byCase('genuine_unit').url);
    const depth = page.getByTestId('depth');
    assert.equal(await depth.getAttribute('data-level'), 'full');
    assert.match(await depth.textContent(), /Có lịch sử sản xuất, chế biến và phân phối đầy đủ/);
    await context.close();
  });

  test('a processing step\'s input lot opens inside the widget', async () => {
    const sauce = portal.stamps.find((s) => s.lot === 'CH2610-35' && !s.serial);
    const { page, context } = await open(sauce.url);
    await page.getByTestId('input-lot').click();
    await page.getByText('Cá cơm tươi Bạch Long Vĩ', { exact: false }).first().waitFor({ timeout: 20_000 });
    assert.match(new URL(page.url()).searchParams.get('code'), /\/10\/CC2609-BLV$/);
    await page.screenshot({ path: join(artefacts, 'verdict-input-lot.png'), fullPage: true });
    await context.close();
  });
});

describe('with the portal down', () => {
  test('a cached trust list and no record never give Xác thực, and the list\'s age is shown', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'vi-VN' });
    // First visit online: the trust list is kept on the device.
    const first = await open(portal.byCase('sold_unit').url, { context });
    assert.equal(await first.verdict.getAttribute('data-state'), 'ok');
    await first.page.close();
    // Then every API request fails, as with no signal; the page itself still loads, from the
    // device's copy of the app shell as the service worker gives it offline: the plain page,
    // which carries no trust list of its own (a deep link fresh from the portal does).
    const shell = await (await fetch(`${portal.base}/`)).text();
    await context.route((url) => url.pathname === '/', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: shell }));
    await context.route((url) => /\/(01|api|\.well-known)\//.test(url.pathname), (route) => route.abort('internetdisconnected'));
    const { page, verdict } = await open(portal.byCase('genuine_unit').url, { context });
    assert.equal(await verdict.getAttribute('data-state'), 'caution');
    assert.match(await page.getByTestId('trust-list').textContent(), /lưu trên máy từ/);
    await page.screenshot({ path: join(artefacts, 'verdict-portal-down.png') });
    await context.close();
  });
});

describe('hostile record text', () => {
  test('HTML and bidi characters in a record are shown inert', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'vi-VN' });
    const stamp = portal.byCase('genuine_unit');
    const record = await portal.record(stamp);
    record.product.name.vi = '<img src=x onerror="document.title=\'pwned\'">Mật ong\u202egnoM';
    record.producer.name = 'HTX\u200bPhố\u2066Hiến';
    const signed = await portal.signedRecord(stamp);
    const [header, , signature] = signed.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(record)).toString('base64url')}.${signature}`;
    await context.route((url) => url.searchParams.get('linkType') === 'gs1:traceability',
      (route) => route.fulfill({ status: 200, contentType: 'application/jose', body: forged }));
    const { page, verdict } = await open(stamp.url, { context });
    assert.equal(await verdict.getAttribute('data-state'), 'bad', 'a changed payload fails its signature');
    const name = await page.getByTestId('product-name').textContent();
    assert.equal(name, '<img src=x onerror="document.title=\'pwned\'">Mật ong\\u{202e}gnoM');
    assert.equal(await page.locator('img[src=x]').count(), 0);
    assert.notEqual(await page.title(), 'pwned');
    assert.ok(await page.getByTestId('unverified').isVisible());
    await page.screenshot({ path: join(artefacts, 'verdict-hostile-text.png'), fullPage: true });
    await context.close();
  });
});
