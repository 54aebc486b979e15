// For a page that embeds tem as an iframe: <iframe class="tem-embed" src="https://portal/embed?code=…">.
// Copy this file to your own site if your CSP only runs your own scripts. It fits each tem
// iframe to its content as the iframe reports it, and believes a report only from that
// iframe's own window and the portal's origin.
const frames = () => document.querySelectorAll('iframe.tem-embed');

window.addEventListener('message', (event) => {
  const { tem, type, height } = event.data ?? {};
  if (tem !== 1 || type !== 'resize' || !Number.isFinite(height)) return;
  for (const frame of frames()) {
    if (event.source === frame.contentWindow && event.origin === new URL(frame.src).origin) {
      frame.style.height = `${Math.min(Math.max(height, 0), 10000)}px`;
    }
  }
});

/** Shows another code in a tem iframe (a variant picked on the product page). */
export function showCode(frame, code) {
  frame.contentWindow?.postMessage({ tem: 1, type: 'code', code }, new URL(frame.src).origin);
}
