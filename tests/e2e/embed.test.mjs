// A retailer's product page with the widget embedded both ways — `<tem-verify>` from one script
// tag, and the iframe for strict hosts — opened in Chromium under the page's own strict CSP,
// from another origin than the portal's. Plus what the portal's headers refuse.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PHONE, artefactDir, freePort, launchChromium, startPortal } from './harness.mjs';

const artefacts = artefactDir('e2e');
let portal, browser, evil, evilBase;

// A page on a third origin that gets hold of the shop's window and its tem iframe, and frames
// the embed itself.
const evilPage = (shop, embed) => `<!doctype html><title>elsewhere</title>
<iframe id="framed" src="${embed}"></iframe>
<button id="open" onclick="window.shop = window.open(${JSON.stringify(shop).replace(/"/g, '&quot;')}, 'shop')">open</button>`;

before(async () => {
  portal = await startPortal();
  const port = await freePort();
  evilBase = `http://127.0.0.1:${port}`;
  evil = createServer((request, response) => {
    const embed = `${portal.base}/embed?code=${encodeURIComponent(`${portal.base}/01/08936012345674/10/MO2604`)}`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(evilPage(`${portal.shop}/shop/`, embed));
  });
  await new Promise((resolve) => evil.listen(port, '127.0.0.1', resolve));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  evil?.close();
  portal?.stop();
});

/** A phone-sized page that records what it asked for, CSP violations and camera use. */
async function shopPage() {
  const context = await browser.newContext({ ...PHONE, locale: 'vi-VN' });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    window.__cameraAsked = 0;
    const real = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
    if (real) {
      navigator.mediaDevices.getUserMedia = (...args) => { window.__cameraAsked++; return real(...args); };
    }
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => { throw error; });
  return { page, requests };
}

const iframeHeight = (page) =>
  page.$eval('#nem iframe', (frame) => Math.round(frame.getBoundingClientRect().height));

describe('a retailer embeds the widget', () => {
  test('as <tem-verify> from one script tag, under the shop\'s strict CSP', async () => {
    const { page, requests } = await shopPage();
    await page.goto(`${portal.shop}/shop/`);
    const verdict = page.locator('#honey tem-verify [data-testid=verdict]');
    await verdict.waitFor({ timeout: 20_000 });
    // A lot stamp cannot be told from a copy: at best "Cần lưu ý", never authentic.
    assert.equal(await verdict.getAttribute('data-state'), 'caution');
    const name = page.locator('#honey tem-verify [data-testid=product-name]');
    assert.match(await name.textContent(), /Mật ong/);
    assert.equal(await page.locator('#honey tem-verify [data-testid=timeline]').count(), 0,
      'the embed is a summary, with a link to the whole journey');
    const full = page.locator('#honey tem-verify a.full-page');
    assert.equal(new URL(await full.getAttribute('href')).origin, portal.base);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.equal(await page.evaluate(() => window.__cameraAsked), 0, 'no camera on a product page');
    assert.ok(!requests.some((url) => /tem_decoder|worker\.js/.test(url)), 'the decoder is never downloaded');
    assert.ok(requests.every((url) => url.startsWith(portal.shop) || url.startsWith(portal.base)),
      'nothing is asked of a third party');
    assert.equal(new URL(page.url()).search, '', 'the host page\'s address is left alone');
    await page.locator('#honey').screenshot({ path: join(artefacts, 'embed-element.png') });
    await page.context().close();
  });

  test('as an iframe that fits its content and shows the recall', async () => {
    const { page } = await shopPage();
    await page.goto(`${portal.shop}/shop/`);
    const frame = page.frameLocator('#nem iframe');
    await frame.getByTestId('recall').waitFor({ timeout: 20_000 });
    // The frame reports its height; the shop's resizer (its own copy of embed-host.js) applies
    // it. Chromium stops rendering a cross-origin frame out of view, so it reports once seen.
    await page.locator('#nem iframe').scrollIntoViewIfNeeded();
    let height = 0;
    for (let i = 0; i < 50 && height <= 320; i++) {
      await page.waitForTimeout(100);
      height = await iframeHeight(page);
    }
    const content = await frame.locator('html').evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
    assert.ok(Math.abs(height - content) <= 2, `iframe ${height} px, its content ${content} px`);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    await page.locator('#nem').screenshot({ path: join(artefacts, 'embed-iframe.png') });
    // The host may show another code: a lot picked on the page.
    await page.selectOption('#nem-lot', { index: 1 });
    await frame.getByTestId('recall').waitFor({ state: 'detached', timeout: 20_000 });
    await page.context().close();
  });

  test('and ignores messages from any other origin, both ways', async () => {
    const { page } = await shopPage();
    await page.goto(evilBase);
    const [shop] = await Promise.all([page.waitForEvent('popup'), page.click('#open')]);
    await shop.waitForLoadState();
    const frame = shop.frameLocator('#nem iframe');
    await frame.getByTestId('recall').waitFor({ timeout: 20_000 });
    await shop.locator('#nem iframe').scrollIntoViewIfNeeded();
    await shop.waitForTimeout(500);
    const fitted = await iframeHeight(shop);
    // From the third origin: a fake height to the shop, a fake code to the tem iframe.
    await page.evaluate(() => {
      window.shop.postMessage({ tem: 1, type: 'resize', height: 4321 }, '*');
      window.shop.frames[0].postMessage({ tem: 1, type: 'code', code: '08936012345674' }, '*');
    });
    await shop.waitForTimeout(1500);
    assert.equal(await iframeHeight(shop), fitted, 'the shop ignores a height from elsewhere');
    assert.equal(await frame.getByTestId('recall').count(), 1, 'the frame ignores a code from elsewhere');
    // The third origin may not frame the embed at all: frame-ancestors names the shop only.
    const framed = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(framed, 'the iframe element is there');
    assert.equal(await framed.locator('tem-verify').count().catch(() => 0), 0, 'its content was refused');
    await page.context().close();
  });
});
