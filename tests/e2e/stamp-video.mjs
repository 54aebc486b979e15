// Turns a printed stamp (PNG) into a short .y4m video, the format Chromium's fake camera plays:
// the stamp held in front of a plain background, drifting a little as in a hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export function writeStampVideo(pngPath, y4mPath, { width = 640, height = 480, frames = 12, stampSide = 300 } = {}) {
  const png = PNG.sync.read(readFileSync(pngPath));
  const lumaAt = (x, y) => {
    const i = (y * png.width + x) * 4;
    const alpha = png.data[i + 3] / 255;
    const luma = 0.299 * png.data[i] + 0.587 * png.data[i + 1] + 0.114 * png.data[i + 2];
    return luma * alpha + 255 * (1 - alpha);
  };
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let frame = 0; frame < frames; frame++) {
    const luma = Buffer.alloc(width * height);
    const dx = Math.round(4 * Math.sin(frame / 2));
    const dy = Math.round(3 * Math.cos(frame / 3));
    const left = (width - stampSide) / 2 + dx;
    const top = (height - stampSide) / 2 + dy;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // A soft gradient, like a shelf under shop lights.
        let value = 150 + (60 * x) / width - (30 * y) / height;
        const u = (x - left) / stampSide;
        const v = (y - top) / stampSide;
        if (u >= 0 && u < 1 && v >= 0 && v < 1) {
          value = lumaAt(Math.floor(u * png.width), Math.floor(v * png.height)) * 0.9 + 10;
        }
        luma[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
    parts.push(Buffer.from('FRAME\n'), luma, chroma, chroma);
  }
  writeFileSync(y4mPath, Buffer.concat(parts));
}
