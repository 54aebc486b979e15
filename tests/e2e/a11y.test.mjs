// Accessibility (WCAG 2.2 AA), in a real Chromium against the real portal: every state of the
// page, in Vietnamese and in English as the browser's language picks it, audited with axe-core
// (a dev-only package, injected into the page by the test, never served); one live region
// that says every verdict; targets of at least 24×24 px; and a shopper with only a keyboard
// checking a stamp. Screenshots in target/e2e/a11y-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { PHONE, artefactDir, launchChromium, openWidget, startPortal } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const artefacts = artefactDir('e2e');
const LOCALES = { vi: 'vi-VN', en: 'en-GB' };
let portal, browser;

before(async () => {
  portal = await startPortal();
  // Chromium's own fake camera: a moving test pattern with no code in it, so the scanner
  // stays open; the permission prompt is answered yes.
  browser = await launchChromium(null, ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
});

after(async () => {
  await browser?.close();
  portal?.stop();
});

/** A phone whose browser asks for `lang`; the page picks it up on its own. */
async function open(lang, query = '', { offline = false } = {}) {
  // axe is added as an inline script, which the page's own CSP rightly refuses.
  const context = await browser.newContext({ ...PHONE, locale: LOCALES[lang], bypassCSP: true, permissions: ['camera'] });
  if (offline) {
    await context.route((url) => /\/(01|api|\.well-known)\//.test(url.pathname), (route) => route.abort('internetdisconnected'));
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  await openWidget(page, `${portal.base}/${query}`);
  await page.locator('.tem-app').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), lang, 'the browser\'s language is the page\'s');
  return { page, context };
}

const withCode = (code) => `?code=${encodeURIComponent(code)}`;

function blankPng() {
  const png = new PNG({ width: 320, height: 240 });
  png.data.fill(255);
  return { name: 'blank.png', mimeType: 'image/png', buffer: PNG.sync.write(png) };
}

function describeViolations(violations) {
  return violations.map((v) => [
    `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes.map((node) => `  at ${node.target.join(' ')}\n    ${node.failureSummary.replaceAll('\n', '\n    ')}`),
  ].join('\n')).join('\n\n');
}

/** axe's WCAG 2.x A/AA rules (2.2's target size among them) and its best practices. */
async function assertAccessible(page, name) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  })).violations);
  // WCAG asks for no serious or critical finding; moderate ones (a page without its one top
  // heading, landmarks out of place) are held to the same line, since a screen reader's
  // outline of the page is where its user starts.
  const blocking = violations.filter((v) => v.impact !== 'minor');
  assert.equal(blocking.length, 0, `${name}: axe found\n\n${describeViolations(blocking)}`);

  // One live region, the same for every state, and nothing else that speaks up by itself.
  const regions = await page.$$eval('[role=status], [role=alert], [aria-live]', (nodes) => nodes.map((n) => n.dataset.testid));
  assert.deepEqual(regions, ['announce'], `${name}: live regions`);

  const small = await page.$$eval('button, input:not([type=file]), select, summary, a[href]', (nodes) => nodes
    .map((n) => ({ n, box: n.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && (box.width < 24 || box.height < 24))
    .map(({ n, box }) => `${n.outerHTML.slice(0, 80)} ${box.width}×${box.height}`));
  assert.deepEqual(small, [], `${name}: targets smaller than 24×24 px`);
  await page.screenshot({ path: join(artefacts, `a11y-${name}.png`) });
}

async function announced(page) {
  return (await page.getByTestId('announce').textContent()).trim();
}

const VERDICTS = [
  ['authentic', 'sold_unit', 'ok'],
  ['caution', 'lot_stamp', 'caution'],
  ['not-authentic', 'tampered', 'bad'],
  ['recalled', 'recalled', 'recalled'],
];

for (const lang of Object.keys(LOCALES)) {
  describe(`every state of the page is accessible, in ${lang}`, () => {
    test('the start screen', async () => {
      const { page, context } = await open(lang);
      await page.locator('.entry').waitFor();
      await assertAccessible(page, `start-${lang}`);
      await context.close();
    });

    test('the scanner, with the camera live', async () => {
      const { page, context } = await open(lang);
      await page.locator('.entry .big').click();
      await page.locator('.viewport.live').waitFor({ timeout: 10_000 });
      assert.equal(await announced(page), (await page.getByTestId('camera-status').textContent()).trim());
      await assertAccessible(page, `scanner-${lang}`);
      await context.close();
    });

    test('a photo with no code in it', async () => {
      const { page, context } = await open(lang);
      await page.getByTestId('photo-input').setInputFiles(blankPng());
      const note = page.locator('[data-testid=photo-note].warn');
      await note.waitFor({ timeout: 20_000 });
      assert.equal(await announced(page), (await note.textContent()).trim());
      await assertAccessible(page, `photo-no-code-${lang}`);
      await context.close();
    });

    for (const [name, demoCase, state] of VERDICTS) {
      test(`the ${name} verdict`, async () => {
        const { page, context } = await open(lang, withCode(portal.byCase(demoCase).url));
        const verdict = page.getByTestId('verdict');
        await verdict.waitFor({ timeout: 20_000 });
        assert.equal(await verdict.getAttribute('data-state'), state);
        const title = (await verdict.locator('h2').textContent()).trim();
        assert.ok((await announced(page)).startsWith(`${title}. `), 'the live region says the verdict');
        if (state === 'recalled') assert.equal(await page.getByTestId('announce').getAttribute('aria-live'), 'assertive');
        // Each check's state is in words, not only in its glyph and colour.
        for (const status of await verdict.locator('ul.checks li .status').allTextContents()) {
          assert.ok(status.trim().length > 1, `a check's state in words: ${status}`);
        }
        // The stamp's own fields are named in the page's language, not in the GS1 dictionary's.
        const fields = await page.locator('[data-testid=identifiers] dt').allTextContents();
        assert.ok(fields.some((field) => field.startsWith(lang === 'vi' ? 'Mã sản phẩm (GTIN)' : 'GTIN')), fields.join(' | '));
        if (lang === 'vi') assert.ok(fields.every((field) => !/[A-Z]{3,}\/|SERIAL|BATCH/.test(field)), fields.join(' | '));
        await assertAccessible(page, `verdict-${name}-${lang}`);
        await context.close();
      });
    }

    test('the portal\'s first view of a deep link, before the widget has loaded', async () => {
      const context = await browser.newContext({ ...PHONE, locale: LOCALES[lang], bypassCSP: true });
      const page = await context.newPage();
      // The widget's wasm never comes: the page is what the portal sent.
      await page.route('**/pkg/tem_bg.wasm', () => {});
      await page.goto(`${portal.base}/${withCode(portal.byCase('sold_unit').url)}`, { waitUntil: 'domcontentloaded' });
      await page.locator('.first-view [data-testid=verdict]').waitFor();
      assert.equal(await page.getAttribute('.first-view', 'lang'), lang, 'in the browser\'s language');
      await assertAccessible(page, `first-view-${lang}`);
      await page.screenshot({ path: join(artefacts, `first-view-${lang}.png`) });
      await context.close();
    });

    test('with the portal down', async () => {
      const { page, context } = await open(lang, withCode(portal.byCase('sold_unit').url), { offline: true });
      await page.getByTestId('record-error').waitFor({ timeout: 20_000 });
      assert.equal(await page.getByTestId('verdict').getAttribute('data-state'), 'caution');
      await assertAccessible(page, `portal-down-${lang}`);
      await context.close();
    });

    for (const [name, code] of [
      ['invalid', 'hello <b>world</b>'],
      ['disguised-link', () => portal.byCase('genuine_unit').url.replace('://', '://truyxuatnguongoc.gov.vn@')],
      ['elsewhere', 'https://hungyen.check.net.vn/tem/HY-000123'],
    ]) {
      test(`a code that cannot be checked here: ${name}`, async () => {
        const { page, context } = await open(lang, withCode(typeof code === 'function' ? code() : code));
        const view = page.locator('[data-testid=invalid], [data-testid=elsewhere]');
        await view.waitFor({ timeout: 20_000 });
        assert.ok((await announced(page)).startsWith((await view.locator('h2').textContent()).trim()));
        await assertAccessible(page, `${name}-${lang}`);
        await context.close();
      });
    }
  });
}

describe('a shopper with only a keyboard', () => {
  async function tabTo(page, matches, key = 'Tab') {
    for (let presses = 0; presses < 20; presses++) {
      if (await page.evaluate(matches)) return;
      await page.keyboard.press(key);
    }
    assert.fail(`${matches} never took focus`);
  }

  test('types a code, hears and reaches the verdict, and switches the language', async () => {
    const { page, context } = await open('vi');
    await tabTo(page, () => document.activeElement?.id === 'code');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineWidth);
    assert.ok(parseFloat(ring) >= 2, `a visible focus ring: ${ring}`);
    // The live region must be the one element that was there before the verdict came.
    await page.getByTestId('announce').evaluate((region) => { region.dataset.kept = 'yes'; });
    await page.keyboard.type(portal.byCase('sold_unit').url);
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 20_000 });
    assert.equal(await verdict.getAttribute('data-state'), 'ok');
    await page.waitForFunction(() => document.activeElement?.closest('[data-testid=verdict]'));
    assert.equal(await page.getByTestId('announce').getAttribute('data-kept'), 'yes');
    assert.match(await announced(page), /^Xác thực\. /);
    await page.screenshot({ path: join(artefacts, 'a11y-keyboard-verdict-vi.png') });

    await tabTo(page, () => document.activeElement?.dataset.testid === 'lang', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await verdict.locator('h2').textContent()).trim(), 'Authentic');
    assert.match(await announced(page), /^Authentic\. /);
    await page.screenshot({ path: join(artefacts, 'a11y-keyboard-verdict-en.png') });

    // The choice is remembered: the next visit is in English although the browser asks for Vietnamese.
    await page.goto(portal.base);
    await page.locator('.entry').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await context.close();
  });

  test('opens a photo with the photo button', async () => {
    const { page, context } = await open('vi');
    // Listening turns Chromium's file-chooser interception on, a round trip that a key press
    // sent straight after can overtake: the chooser then opens unseen. Listen first.
    const chooser = page.waitForEvent('filechooser');
    await tabTo(page, () => document.activeElement?.textContent === 'Chọn ảnh có sẵn');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(portal.byCase('sold_unit').pngPath);
    await page.getByTestId('verdict').waitFor({ timeout: 20_000 });
    await context.close();
  });
});
