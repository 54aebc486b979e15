// The demo shop's own script: the iframe resizer, and a lot picker that shows another code.
import { showCode } from '../embed-host.js';

const frame = document.querySelector('#nem iframe.tem-embed');
document.getElementById('nem-lot').addEventListener('change', (event) => {
  showCode(frame, event.target.value);
});
