// Unit and integration tests for every package (runtime/, main/, ota/, renderer/).
// Kept apart from vite.config.ts, whose root is renderer/ for the UI build.
import { configDefaults, defineConfig } from 'vitest/config';

// Real firmware under qemu stands in for a board with its own CPU. Plain raw
// mode has no flow control, so when the parallel suite starves the emulator
// its 64-byte UART ring overflows in a way no real board's would; these files
// run after the rest, one at a time, on an otherwise idle machine.
const REAL_FIRMWARE = ['runtime/node/qemu-microbit.test.ts'];

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, 'dist/**', 'release/**'],
    testTimeout: 30000,
    projects: [
      { extends: true, test: { name: 'suite', include: ['**/*.test.ts'], exclude: [...configDefaults.exclude, 'dist/**', 'release/**', ...REAL_FIRMWARE], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'real-firmware', include: REAL_FIRMWARE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
