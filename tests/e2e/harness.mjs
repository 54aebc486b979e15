// Shared by the end-to-end tests and the browser benchmark: the real reference portal on a free
// port with a fresh SQLite file and freshly written stamps, and Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const root = new URL('../../', import.meta.url).pathname;
export const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const portalBin = join(target, 'release', 'tem-portal');

export function artefactDir(name) {
  const dir = join(target, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPortal(url, deadlineMs = 20_000) {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`portal did not start at ${url}`);
}

/** Runs a `tem-portal` command (such as `issuer add`) and answers what it printed. */
export function portalCommand(args) {
  return execFileSync(portalBin, args, { cwd: root, encoding: 'utf8' });
}

/** Seeds a portal in a temporary directory, writes its stamps and serves the widget; `shop` is
 * the origin allowed to embed it. `host` is the loopback address it listens on and its stamps
 * point at; `seed: false` leaves its database empty; `prepare(db)` runs before it serves. */
export async function startPortal({ host = '127.0.0.1', seed = true, prepare = () => {} } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'tem-e2e-'));
  const port = await freePort();
  const base = `http://${host}:${port}`;
  const db = join(work, 'portal.sqlite');
  const stampsDir = join(work, 'stamps');
  const seeding = seed ? ['--seed', 'demo'] : [];
  // The stamps command seeds the new database; the server then serves it as it is.
  portalCommand(['stamps', '--out', stampsDir, '--base-url', base, '--db', db, ...seeding]);
  prepare(db);
  const stamps = JSON.parse(readFileSync(join(stampsDir, 'stamps.json'), 'utf8'))
    .map((stamp) => ({ ...stamp, pngPath: join(stampsDir, stamp.png) }));
  // The same portal under its other loopback name is another origin: the retailer whose demo
  // shop page embeds the widget.
  const shop = `http://localhost:${port}`;
  const server = spawn(portalBin, ['--addr', `${host}:${port}`, '--base-url', base, '--db', db,
    ...seeding, '--www', 'www', '--pkg', 'pkg', '--stamps', stampsDir, '--embed-origin', shop],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPortal(base);
  const recordUrl = (stamp) => `${base}/api/v1/records/${encodeURIComponent(stamp.record_id)}`;
  // The signed payload itself, as a GS1 tool would ask for it.
  const record = async (stamp) =>
    (await fetch(recordUrl(stamp), { headers: { accept: 'application/json' } })).json();
  // The compact JWS, as the widget gets it.
  const signedRecord = async (stamp) =>
    (await fetch(recordUrl(stamp), { headers: { accept: 'application/jose' } })).text();
  const byCase = (name) => {
    const stamp = stamps.find((s) => s.case === name);
    if (!stamp) throw new Error(`no demo stamp for the ${name} case`);
    return stamp;
  };
  return { base, shop, work, db, stamps, record, signedRecord, byCase, stop: () => server.kill() };
}

/** Opens `url` and waits for the widget's own view: a deep link's page can come with the
 * portal's first view of the check, which stays until the widget's check on the device is on
 * screen. Tests of what the widget does wait for that; the first view has a test of its own. */
export async function openWidget(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector('.first-view'), null, { timeout: 30_000 });
}

/** Headless Chromium; with `video`, its fake camera plays that .y4m file and camera
 * permission is granted. `extra` adds command-line switches. */
export function launchChromium(video, extra = []) {
  const camera = video
    ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]
    : [];
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
      '--disable-background-networking', '--disable-component-update', ...camera, ...extra],
  });
}

// Service workers are off unless a test is about them: Playwright's routes do not see the
// requests a service worker makes, and most tests stand in for the portal with routes.
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  serviceWorkers: 'block' };
