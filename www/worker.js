// Decodes camera frames and photos off the main thread. The decoder is its own wasm
// (crates/tem-decoder), fetched only when a shopper first scans or picks a photo.
import init, { decode_frame } from './pkg/decoder/tem_decoder.js';

const ready = init();

self.onmessage = async ({ data: { id, width, height, data, thorough } }) => {
  try {
    await ready;
    const started = performance.now();
    const codes = JSON.parse(decode_frame(new Uint8Array(data), width, height, Boolean(thorough)));
    const ms = performance.now() - started;
    // Plain objects, read by the page without a JSON parser of its own for them.
    self.postMessage({ id, codes, ms });
  } catch (error) {
    // A trapped wasm instance cannot be trusted with the next frame: report and let the page
    // start a fresh worker.
    self.postMessage({ id, error: String(error) });
    self.close();
  }
};
