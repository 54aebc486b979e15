// Starts the widget once its wasm is loaded; decoding happens in worker.js.
import init, { run_app } from './pkg/tem.js';

try {
  await init();
  document.querySelector('#tem .boot')?.remove();
  run_app();
  // Offline: the shell, both wasm files and recent records (sw.js). A browser without service
  // workers, or one that refuses, simply needs the network. Kept back until the first verdict
  // is on screen, so on slow data the offline copy never competes with the shopper's answer.
  const keepOffline = () =>
    navigator.serviceWorker?.register('sw.js').catch((error) => console.warn('no offline copy', error));
  if (new URLSearchParams(location.search).has('code')) {
    new PerformanceObserver((marks, observer) => {
      if (marks.getEntries().some((mark) => mark.name === 'tem:verdict')) {
        observer.disconnect();
        keepOffline();
      }
    }).observe({ type: 'mark', buffered: true });
  } else {
    keepOffline();
  }
} catch (error) {
  const root = document.getElementById('tem') ?? document.body;
  root.textContent = 'Trình duyệt này không chạy được tem. Hãy cập nhật trình duyệt. / This browser cannot run tem; please update it.';
  console.error(error);
}
