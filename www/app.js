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
  const note = 'Trình duyệt này không chạy được tem. Hãy cập nhật trình duyệt. / This browser cannot run tem; please update it.';
  const firstView = root.querySelector(':scope > .first-view');
  if (firstView) {
    // A deep link's first view, the portal's check of the code, stays: only the device's own
    // check is missing, and the note says so above it.
    const warning = document.createElement('p');
    warning.className = 'notice warn';
    warning.setAttribute('role', 'alert');
    warning.textContent = note;
    root.prepend(warning);
  } else {
    root.textContent = note;
  }
  console.error(error);
}
