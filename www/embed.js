// <tem-verify code="…" lang="vi|en"></tem-verify>: a product's verdict and trace summary on a
// retailer's page, from one script tag. It renders into a shadow root (the host's styles and
// ours stay apart), asks the portal this script came from, loads only the page's wasm (never
// the decoder, never the camera) and counts no scan.
const portal = new URL('.', import.meta.url);
let wasm;
const loadWasm = () => {
  wasm ??= import(new URL('pkg/tem.js', portal).href).then(async (module) => {
    await module.default({ module_or_path: new URL('pkg/tem_bg.wasm', portal) });
    return module;
  });
  return wasm;
};

class TemVerify extends HTMLElement {
  static observedAttributes = ['code', 'lang'];

  connectedCallback() {
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      for (const sheet of ['style.css', 'embed.css']) {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = new URL(sheet, portal).href;
        shadow.append(link);
      }
      this.container = document.createElement('div');
      shadow.append(this.container);
    }
    this.mount();
  }

  disconnectedCallback() {
    this.mounted?.destroy();
    this.mounted = undefined;
  }

  attributeChangedCallback() {
    if (this.isConnected && this.container) this.mount();
  }

  async mount() {
    const code = this.getAttribute('code')?.trim();
    const lang = this.getAttribute('lang') || document.documentElement.lang || 'vi';
    this.mounted?.destroy();
    this.mounted = undefined;
    if (!code) return;
    const attempt = (this.attempt = (this.attempt ?? 0) + 1);
    try {
      const { mount_embed } = await loadWasm();
      // The element may have changed or left while the wasm loaded.
      if (attempt !== this.attempt || !this.isConnected) return;
      this.container.replaceChildren();
      this.mounted = mount_embed(this.container, code, lang, portal.origin);
    } catch (error) {
      this.container.textContent = lang.startsWith('en')
        ? 'This browser cannot run tem; please update it.'
        : 'Trình duyệt này không chạy được tem. Hãy cập nhật trình duyệt.';
      console.error(error);
    }
  }
}

if (!customElements.get('tem-verify')) customElements.define('tem-verify', TemVerify);
