// Offline: after one visit the widget opens with no network, a record checked before shows as
// the device's copy with its date, and a code never checked cannot be checked — never
// "Xác thực". The network really goes: the portal process is stopped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PHONE, artefactDir, launchChromium, openWidget, startPortal } from './harness.mjs';

const artefacts = artefactDir('e2e');
let portal, browser;

before(async () => {
  portal = await startPortal();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

const deepLink = (stamp) => `${portal.base}/?code=${encodeURIComponent(stamp.url)}`;

describe('with no network', () => {
  test('the app installs and opens, a record seen before shows as this device\'s copy, a new code cannot be checked', async () => {
    const context = await browser.newContext({ ...PHONE, serviceWorkers: 'allow', locale: 'vi-VN' });
    const page = await context.newPage();
    page.on('pageerror', (error) => { throw error; });
    const seen = portal.byCase('sold_unit');
    const unseen = portal.byCase('genuine_unit');
    await openWidget(page, deepLink(seen));
    await page.getByTestId('verdict').waitFor({ timeout: 20_000 });
    // The offline copy is made once the first verdict is shown; the record is kept when it
    // is next fetched through the service worker.
    await page.evaluate(() => navigator.serviceWorker.ready);
    // Installable as Chromium judges it: the manifest's name, start URL, display and icon, and
    // a service worker that answers fetches. A throwaway profile counts as incognito, which
    // says nothing about the app.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), [],
      'installable from the manifest');
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.getByTestId('verdict').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('verdict').getAttribute('data-state'), 'ok');

    portal.stop();
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
    await page.getByTestId('product-name').waitFor({ timeout: 20_000 });
    const cached = page.getByTestId('cached');
    await cached.waitFor();
    assert.match(await cached.textContent(), /bản lưu trên máy từ \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    assert.notEqual(await page.getByTestId('verdict').getAttribute('data-state'), 'ok',
      'scans and recalls could not be asked: not authentic');
    await page.screenshot({ path: join(artefacts, 'offline-cached.png'), fullPage: true });

    await page.goto(deepLink(unseen));
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 20_000 });
    assert.notEqual(await verdict.getAttribute('data-state'), 'ok');
    assert.equal(await page.getByTestId('product-name').count(), 0, 'no record to show');
    await page.screenshot({ path: join(artefacts, 'offline-new-code.png'), fullPage: true });
    await context.close();
  });
});
