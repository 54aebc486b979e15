// The iframe embed (/embed?code=…&lang=…), for hosts whose CSP will not run our script. It
// tells its host how tall it is, so the iframe fits its content, and takes a new code from
// the host. Both ways go only to and from the host origins the portal allows (the `tem-hosts`
// meta, filled by the portal from its --embed-origin list; frame-ancestors says the same).
import './embed.js';

const hosts = (document.querySelector('meta[name="tem-hosts"]')?.content ?? '')
  .split(' ').filter(Boolean);
const params = new URLSearchParams(location.search);
const element = document.querySelector('tem-verify');
const lang = params.get('lang') === 'en' ? 'en' : 'vi';
document.documentElement.lang = lang;
element.setAttribute('lang', lang);
if (params.get('code')) element.setAttribute('code', params.get('code'));

// A message with an exact target origin is delivered only if the host is that origin, so
// trying each allowed origin reaches the real host and no one else.
const tell = (message) => {
  if (window.parent === window) return;
  for (const origin of hosts) window.parent.postMessage({ tem: 1, ...message }, origin);
};
let shown = 0;
const resized = new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== shown) tell({ type: 'resize', height: (shown = height) });
});
resized.observe(document.documentElement);
resized.observe(element);

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || !hosts.includes(event.origin)) return;
  const { tem, type, code } = event.data ?? {};
  if (tem === 1 && type === 'code' && typeof code === 'string') element.setAttribute('code', code);
});
