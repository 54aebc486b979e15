// Starts the widget once its wasm is loaded; decoding happens in worker.js.
import init, { run_app } from './pkg/tem.js';

try {
  await init();
  document.querySelector('#tem .boot')?.remove();
  run_app();
} catch (error) {
  const root = document.getElementById('tem') ?? document.body;
  root.textContent = 'Trình duyệt này không chạy được tem. Hãy cập nhật trình duyệt. / This browser cannot run tem; please update it.';
  console.error(error);
}
