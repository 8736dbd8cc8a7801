// The Content-Security-Policy for the renderer, shared by the Electron window
// (app:// protocol) and browser mode (HTTP). Sent as a header, not a meta tag,
// so that frame-ancestors applies and the page cannot loosen it.

export interface CspOptions {
  /** Extra connect-src sources, e.g. the browser-mode WebSocket origin. */
  connectSrc?: string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // No inline or eval'd script: the renderer is a Vite bundle of files.
    'script-src': ["'self'"],
    // Svelte transitions, CodeMirror and xterm.js set styles at run time; only
    // styles are allowed inline, which cannot run code.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.connectSrc ?? [])],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
