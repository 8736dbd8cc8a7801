// Unit and integration tests for every package (runtime/, main/, ota/, renderer/).
// Kept apart from vite.config.ts, whose root is renderer/ for the UI build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'release/**'],
    testTimeout: 30000,
  },
});
