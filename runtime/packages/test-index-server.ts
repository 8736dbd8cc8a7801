// For tests: a mip index on 127.0.0.1 in the real "v2" layout, built from
// package sources the test gives (index.json, package/{py|mpy}/{name}/{ver}.json,
// file/{h[:2]}/{h}), plus plain files at other paths (a stand-in for
// raw.githubusercontent.com or any web server holding a package.json).
// Every request is logged so tests can see what the client asked for.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MpyCompiler } from '../common/mpy-compile.js';
import { sha256Hex } from '../node/sha256-hex.js';

export interface TestPackage {
  name: string;
  version: string;
  description: string;
  /** Path under the install target -> Python source. */
  files: Record<string, string>;
  deps?: [string, string][];
}

export interface TestIndexOptions {
  packages: TestPackage[];
  /** Also publish each package as .mpy compiled with this compiler (as micropython-lib does per .mpy version). */
  compiler?: MpyCompiler;
  /** URL path -> body, served as is (github stand-ins, package.json URLs). */
  extra?: Record<string, string>;
  /** Short hash -> body served instead of the real file (a tampered or damaged index). */
  tamper?: Record<string, string>;
}

export interface TestIndex {
  url: string;
  /** Base URL of the whole server (for `extra` paths). */
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

/** Short hashes as micropython-lib's index uses them. */
const SHORT = 8;

export async function serveTestIndex(o: TestIndexOptions): Promise<TestIndex> {
  const routes = new Map<string, Buffer>();
  const put = (p: string, body: string | Uint8Array) => routes.set(p, Buffer.from(body));
  const variants: [string, (rel: string, src: string) => Promise<[string, Uint8Array]>][] = [['py', async (rel, src) => [rel, Buffer.from(src)]]];
  if (o.compiler) {
    const c = o.compiler;
    variants.push([String(c.version), async (rel, src) => (rel.endsWith('.py') ? [rel.replace(/\.py$/, '.mpy'), await c.compile(rel, src)] : [rel, Buffer.from(src)])]);
  }
  const index = [];
  for (const p of o.packages) {
    const versions: Record<string, string[]> = {};
    for (const [mpy, make] of variants) {
      const hashes: [string, string][] = [];
      for (const [rel, src] of Object.entries(p.files)) {
        const [outRel, data] = await make(rel, src);
        const h = sha256Hex(data).slice(0, SHORT);
        put(`/file/${h.slice(0, 2)}/${h}`, o.tamper?.[h] ?? data);
        hashes.push([outRel, h]);
      }
      const json = JSON.stringify({ hashes, deps: p.deps ?? [], version: p.version });
      put(`/package/${mpy}/${p.name}/${p.version}.json`, json);
      put(`/package/${mpy}/${p.name}/latest.json`, json);
      versions[mpy] = [p.version];
    }
    index.push({ name: p.name, version: p.version, description: p.description, author: 'test', license: 'MIT', versions });
  }
  put('/index.json', JSON.stringify({ v: 2, updated: Date.now() / 1000, packages: index }));

  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(u.pathname);
    const body = routes.get(u.pathname) ?? (o.extra?.[u.pathname] === undefined ? undefined : Buffer.from(o.extra[u.pathname]));
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': u.pathname.endsWith('.json') ? 'application/json' : 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; close() alone would wait for them.
        server.closeAllConnections();
      }),
  };
}

/** The short hash the test index gives `src` (for building tampered cases). */
export function shortHashOf(src: string | Uint8Array): string {
  return sha256Hex(src).slice(0, SHORT);
}
