// Builds the Svelte renderer (renderer/) into dist/renderer. The Electron window
// loads dist/renderer/index.html from disk and the browser-mode server serves the
// same files, so every URL in the output is relative (base './') and nothing is
// fetched from the network.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const projectRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    // CodeMirror and xterm make one ~1 MB chunk; that is fine for a local app.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // The board picture lives in resources/, outside the renderer root.
    fs: { allow: [projectRoot] },
  },
  preview: {
    // The same script policy the Electron window and browser mode use: the
    // renderer must work without inline scripts or eval.
    headers: { 'Content-Security-Policy': "script-src 'self'" },
  },
});
