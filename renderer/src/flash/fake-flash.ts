// DEVELOPMENT ONLY: the fake back end's flasher (see dev/fake-api.ts): walks
// through the phases with progress events and honours cancel, so the flash
// dialog can be looked at without a board.

import type { FlashCatalogueEntry, MoteApi, MoteEvents } from '../../../main/common/api';

type FlashCalls = Pick<MoteApi, 'flashFirmware' | 'cancelFlash' | 'flashCatalogue'>;

const CATALOGUE: FlashCatalogueEntry[] = [
  { fileName: 'ESP32_GENERIC-20251209-v1.27.0.bin', board: 'ESP32_GENERIC', boardTitle: 'ESP32 (generic, e.g. DevKitC)', version: '1.27.0', url: 'https://micropython.org/resources/firmware/ESP32_GENERIC-20251209-v1.27.0.bin', kind: 'esp', cached: true },
  { fileName: 'RPI_PICO-20251209-v1.27.0.uf2', board: 'RPI_PICO', boardTitle: 'Raspberry Pi Pico', version: '1.27.0', url: 'https://micropython.org/resources/firmware/RPI_PICO-20251209-v1.27.0.uf2', kind: 'uf2', cached: false },
];

export function fakeFlash(emit: (e: 'flashProgress', p: MoteEvents['flashProgress']) => void): FlashCalls {
  let cancelled = false;
  const tick = () => new Promise((r) => setTimeout(r, 100));
  return {
    async flashFirmware(req) {
      cancelled = false;
      emit('flashProgress', { phase: 'connecting', message: `${req.port}: resetting into the bootloader` });
      await tick();
      const total = 256 * 1024;
      for (let done = 0; done <= total; done += total / 16) {
        if (cancelled) throw new Error('flashing was cancelled');
        emit('flashProgress', { phase: 'writing', done, total });
        await tick();
      }
      emit('flashProgress', { phase: 'done', message: 'MicroPython v1.27.0 on 2025-12-09; Generic ESP32 module with ESP32' });
      return { chip: 'ESP32', bytes: total, md5: '0'.repeat(32), banner: 'MicroPython v1.27.0 on 2025-12-09; Generic ESP32 module with ESP32' };
    },
    async cancelFlash() {
      cancelled = true;
    },
    flashCatalogue: async () => CATALOGUE,
  };
}
