// Several issuers: a national portal whose trust list names an enterprise that runs its own
// resolver, on two loopback addresses. The widget, served by the national portal, must ask the
// enterprise's resolver — and no other host — for the stamps of the enterprise's domain, and
// its own portal for the rest. Screenshots in target/e2e/issuers-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE, artefactDir, launchChromium, portalCommand, root, startPortal } from './harness.mjs';

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

/** The national widget checking `code`, and every request the page made on the way; in
 * `context` when given (a phone that checked before), else on a fresh phone. */
async function check(code, context = null) {
  context ??= await browser.newContext({ ...PHONE, locale: 'vi-VN' });
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

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** The national trust list with Phố Hiến's stamps moved to `resolver`, signed by the demo root
 * as the national portal's operator would sign it. */
async function listMovingPhoHienTo(resolver) {
  const served = await (await fetch(`${national.base}/.well-known/tem/trust-list.jws`)).text();
  const set = JSON.parse(Buffer.from(served.split('.')[1], 'base64url'));
  for (const key of set.keys) key.resolver = resolver;
  const rootJwk = JSON.parse(readFileSync(join(root, 'trust/demo-root.jwk'), 'utf8'));
  const header = { alg: 'EdDSA', kid: rootJwk.kid, typ: 'tem-trust-list+jws' };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(set))}`;
  const signature = sign(null, Buffer.from(input), createPrivateKey({ key: rootJwk, format: 'jwk' }));
  return `${input}.${b64url(signature)}`;
}

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

  test('a phone that kept the trust list asks the resolver at once, and again where a fresh list moved it', async () => {
    const stamp = enterprise.byCase('genuine_unit');
    const first = await check(stamp.url);
    assert.equal(await first.verdict.getAttribute('data-state'), 'ok');
    await first.page.close();
    // The same phone, its kept list still naming the enterprise: the same answer.
    const again = await check(stamp.url, first.context);
    assert.equal(await again.verdict.getAttribute('data-state'), 'ok');
    assert.deepEqual([...new Set(again.asked.filter(aboutStamps).map((url) => url.origin))], [enterprise.base]);
    await again.page.close();
    // The operator moves Phố Hiến's stamps to the national resolver, which has no record of
    // them: the kept list's guess is asked first, then the fresh list's choice decides.
    const moved = await listMovingPhoHienTo(national.base);
    await first.context.route(`${national.base}/.well-known/tem/trust-list.jws`,
      (route) => route.fulfill({ status: 200, contentType: 'application/jose', body: moved }));
    const afterMove = await check(stamp.url, first.context);
    assert.notEqual(await afterMove.verdict.getAttribute('data-state'), 'ok');
    const records = afterMove.asked.filter((url) => url.searchParams.get('linkType') === 'gs1:traceability');
    assert.deepEqual(records.map((url) => url.origin), [enterprise.base, national.base]);
    await first.context.close();
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
