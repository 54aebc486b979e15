// tem's service worker. The app shell and both wasm files are kept at install, so the widget
// opens with no network; the signed records of the last codes checked are kept from their
// last good answer, so a record seen before still shows offline — marked with when it was
// fetched (`x-tem-cached-at`), which the widget tells the shopper. Scans, recalls and the
// trust list always go to the network: the widget keeps its own copy of the trust list and
// says how old it is, and a recall or a scan count from the past would be a false comfort.
importScripts('sw-build.js'); // self.TEM_BUILD, written by scripts/build.sh: a new build, a new shell

const SHELL_CACHE = `tem-shell-${self.TEM_BUILD}`;
const RECORDS_CACHE = 'tem-records';
const KEPT_RECORDS = 20;
const SHELL = [
  './', 'index.html', 'app.js', 'style.css', 'embed.css', 'embed.js', 'manifest.webmanifest',
  'icon.svg', 'worker.js', 'pkg/tem.js', 'pkg/tem_bg.wasm', 'pkg/decoder/tem_decoder.js',
  'pkg/decoder/tem_decoder_bg.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('tem-shell-') && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const isRecord = (url) =>
  url.pathname.startsWith('/api/v1/records/') ||
  (url.pathname.startsWith('/01/') && url.searchParams.get('linkType') === 'gs1:traceability');

async function record(request) {
  const cache = await caches.open(RECORDS_CACHE);
  try {
    // Past the browser's HTTP cache: a copy from there would reach the widget looking fresh,
    // and the shopper would not be told it is one.
    const response = await fetch(request, { cache: 'no-cache' });
    if (response.status === 200) {
      const headers = new Headers(response.headers);
      headers.set('x-tem-fetched-at', String(Date.now()));
      const body = await response.clone().arrayBuffer();
      await cache.delete(request.url);
      await cache.put(request.url, new Response(body, { status: 200, headers }));
      const kept = await cache.keys();
      for (const old of kept.slice(0, Math.max(0, kept.length - KEPT_RECORDS))) await cache.delete(old);
    }
    return response;
  } catch (offline) {
    const cached = await cache.match(request.url);
    if (!cached) throw offline;
    const headers = new Headers(cached.headers);
    headers.set('x-tem-cached-at', headers.get('x-tem-fetched-at') ?? '0');
    return new Response(cached.body, { status: 200, headers });
  }
}

async function page(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cached = await caches.match(new URL('./', self.registration.scope).href);
    if (!cached) throw offline;
    return cached;
  }
}

async function shellFile(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET') return;
  // Records come from this portal or from the resolver the trust list names for a stamp's
  // domain, which the page's CSP allows; they are kept alike. Nothing else of another origin
  // is touched.
  if (isRecord(url)) {
    event.respondWith(record(request));
  } else if (url.origin !== self.location.origin) {
    return;
  } else if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    event.respondWith(page(request));
  } else if (SHELL.some((path) => new URL(path, self.registration.scope).pathname === url.pathname)) {
    event.respondWith(shellFile(request));
  }
});
