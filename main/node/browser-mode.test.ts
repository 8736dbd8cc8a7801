// launchBrowserMode with the back end replaced by a stub (the simulator back end
// has its own tests): checks the wiring around the server, i.e. the project
// folder is seeded, the page and the API are reachable, and close() disposes.

import { once } from 'node:events';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { decodeServerMessage, encodeMessage } from '../common/ws-protocol.js';

const stub = vi.hoisted(() => ({ options: null as unknown, disposed: false }));

vi.mock('./ide-backend.js', () => ({
  createBackend: async (options: { projectDir: string }) => {
    stub.options = options;
    return {
      getProject: async () => ({ root: options.projectDir, files: ['main.py'] }),
      dispose: async () => {
        stub.disposed = true;
      },
    };
  },
}));

const { launchBrowserMode } = await import('./browser-mode.js');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mote-browser-mode-'));
  await mkdir(path.join(tmp, 'renderer'));
  await writeFile(path.join(tmp, 'renderer', 'index.html'), '<!doctype html><title>Mote</title>');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('launchBrowserMode', () => {
  it('seeds an empty project, serves the page and the API, and disposes on close', async () => {
    const projectDir = path.join(tmp, 'projects', 'new');
    const dataDir = path.join(tmp, 'data');
    const handle = await launchBrowserMode({ projectDir, dataDir, rendererDir: path.join(tmp, 'renderer') });
    try {
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
      expect(stub.options).toEqual({ projectDir, dataDir });
      expect(await readdir(projectDir)).toEqual(['main.py']);
      expect(await readFile(path.join(projectDir, 'main.py'), 'utf8')).toContain('Pin("LED", Pin.OUT)');
      expect(await readdir(dataDir)).toEqual([]);

      const page = await fetch(handle.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Mote</title>');

      const origin = new URL(handle.url).origin;
      const ws = new WebSocket(`ws://127.0.0.1:${handle.port}/api?token=${handle.token}`, { origin });
      await once(ws, 'open');
      ws.send(encodeMessage({ type: 'call', id: 1, method: 'getProject', args: [] }));
      const [data] = (await once(ws, 'message')) as [Buffer];
      expect(decodeServerMessage(data.toString())).toEqual({
        type: 'result',
        id: 1,
        ok: true,
        value: { root: projectDir, files: ['main.py'] },
      });
    } finally {
      await handle.close();
    }
    expect(stub.disposed).toBe(true);
  });

  it('leaves a project that already has files alone', async () => {
    const projectDir = path.join(tmp, 'existing');
    await mkdir(projectDir);
    await writeFile(path.join(projectDir, 'app.py'), 'print(1)\n');
    const handle = await launchBrowserMode({ projectDir, dataDir: path.join(tmp, 'data2'), rendererDir: path.join(tmp, 'renderer') });
    await handle.close();
    expect(await readdir(projectDir)).toEqual(['app.py']);
  });

  it('says so when the renderer is not built', async () => {
    await expect(
      launchBrowserMode({ projectDir: tmp, dataDir: tmp, rendererDir: path.join(tmp, 'missing') }),
    ).rejects.toThrow(/the renderer is not built/);
  });
});
