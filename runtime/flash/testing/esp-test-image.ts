// Builds ESP firmware images for tests and benches: a valid header for the
// chip, then a body that is half incompressible and half repetitive, like a
// real image (code and tables compress, data partly does not).

import { IMAGE_MAGIC } from '../esp/esp-image.js';

export function makeEspImage(size: number, imageChipId: number, seed = 1): Uint8Array {
  const img = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    if (i % 8192 < 4096) {
      // xorshift32: bytes with no pattern deflate can use
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      img[i] = x & 0xff;
    } else img[i] = (i >> 4) & 0x3f;
  }
  img.set([IMAGE_MAGIC, 3, 0x02, 0x20, 0x00, 0x10, 0x08, 0x40], 0);
  img.fill(0, 8, 24);
  img[12] = imageChipId & 0xff;
  img[13] = imageChipId >> 8;
  return img;
}
