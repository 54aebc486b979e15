// Several issuers: a national portal whose trust list names an enterprise that runs its own
// resolver, on two loopback addresses. The widget, served by the national portal, must ask the
// enterprise's resolver — and no other host — for the stamps of the enterprise's domain, and
// its own portal for the rest. Screenshots in target/e2e/issuers-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE, artefactDir, launchChromium, portalCommand, startPortal } from './harness.mjs';

const artefacts = artefactDir('e2e');
let enterprise, national, browser;

before(async () => {
  // The enterprise: Phố Hiến's own portal, holding its records and signing them.
  enterprise = await startPortal({ host: '127.0.0.2' });
  const keys = join(enterprise.work, 'phohien-keys.json');
  writeFileSync(keys, portalCommand(['issuer', 'keys', '--id', 'phohien', '--db', enterprise.db]));
  const enterpriseHost = new URL(enterprise.base).hostname;
  // The national portal holds none of Phố Hiến's data, only its public keys and resolver.
  national = await startPortal({
    seed: false,
    prepare: (db) => portalCommand(['issuer', 'add', '--db', db, '--id', 'phohien',
      '--name', 'Công ty CP Nông sản Phố Hiến', '--name-en', 'Phố Hiến Farm Produce JSC',
      '--domain', enterpriseHost, '--gcp', '893601234', '--resolver', enterprise.base, '--key', keys]),
  });
  browser = await launchChromium(null);
});

after(async () => {
  await browser?.close();
  national?.stop();
  enterprise?.stop();
});

/** The national widget checking `code`, and every request the page made on the way. */
async function check(code) {
  const context = await browser.newContext({ ...PHONE, locale: 'vi-VN' });
  const page = await context.newPage();
  const asked = [];
  page.on('request', (request) => asked.push(new URL(request.url())));
  page.on('pageerror', (error) => { throw error; });
  await page.goto(national.base);
  await page.locator('#code').fill(code);
  await page.locator('#code').press('Enter');
  const verdict = page.getByTestId('verdict');
  await verdict.waitFor({ timeout: 20_000 });
  return { page, context, verdict, asked };
}

const aboutStamps = (url) => /^\/(01|api)\//.test(url.pathname);

describe('a stamp of an enterprise that runs its own resolver', () => {
  test('is checked against that resolver and found authentic', async () => {
    const stamp = enterprise.byCase('sold_unit');
    const { page, context, verdict, asked } = await check(stamp.url);
    assert.equal(await verdict.getAttribute('data-state'), 'ok', await verdict.textContent());
    const hosts = new Set(asked.filter(aboutStamps).map((url) => url.origin));
    assert.deepEqual([...hosts], [enterprise.base], 'record, scan and recalls from the resolver only');
    assert.ok(asked.some((url) => url.origin === national.base && url.pathname === '/.well-known/tem/trust-list.jws'),
      'the trust list from the widget\'s own portal');
    // The product's photo is the enterprise's too, and the page's CSP let it in.
    const image = page.getByTestId('product').locator('img');
    await image.waitFor();
    assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), 'the product image loads');
    assert.match(await image.getAttribute('src'), new RegExp(`^${enterprise.base}/media/`));
    await page.screenshot({ path: join(artefacts, 'issuers-enterprise-resolver.png'), fullPage: true });
    await context.close();
  });

  test('the same product under the national portal\'s own domain is asked there, not from the enterprise', async () => {
    const stamp = enterprise.byCase('sold_unit');
    const ownDomain = stamp.url.replace(enterprise.base, national.base);
    const { context, verdict, asked } = await check(ownDomain);
    assert.notEqual(await verdict.getAttribute('data-state'), 'ok');
    const hosts = new Set(asked.filter(aboutStamps).map((url) => url.origin));
    assert.deepEqual([...hosts], [national.base]);
    await context.close();
  });

  test('a lookalike of the enterprise\'s domain is never sent to its resolver or its own host', async () => {
    const stamp = enterprise.byCase('sold_unit');
    const lookalike = stamp.url.replace(enterprise.base, 'https://xn--nngsnphohin-ceb.vn');
    const { page, context, verdict, asked } = await check(lookalike);
    assert.equal(await verdict.getAttribute('data-state'), 'bad');
    assert.ok(asked.every((url) => url.origin === national.base || url.protocol === 'data:'),
      `only the widget's portal: ${asked.filter((url) => url.origin !== national.base).join(', ')}`);
    await page.screenshot({ path: join(artefacts, 'issuers-lookalike.png'), fullPage: true });
    await context.close();
  });
});
