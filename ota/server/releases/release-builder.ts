// Builds a signed release from a project folder: every file not excluded by
// .moteignore goes into the manifest with its size and SHA-256, its bytes into
// the blob store, and the manifest text is signed with the fleet key.

import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { MoteIgnore } from '../../../runtime/common/moteignore.js';
import { encodeManifest, manifestPathProblem, type Manifest, type ManifestFile } from '../../common/manifest.js';
import type { ReleaseRecord, ReleaseStore } from '../registry/release-store.js';
import type { BlobStore } from './blob-store.js';
import type { SigningKey } from './signing-key.js';

export interface ReleaseOptions {
  /** App name; defaults to the folder's name. */
  app?: string;
  port?: string;
  mpy?: string;
}

/** Files of a project folder, relative with '/', that .moteignore lets through. */
export async function projectFiles(root: string): Promise<Array<{ path: string; data: Buffer }>> {
  const ignoreText = await fsp.readFile(path.join(root, '.moteignore'), 'utf8').catch(() => '');
  const ignore = MoteIgnore.parse(ignoreText);
  const out: Array<{ path: string; data: Buffer }> = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fsp.readdir(path.join(root, ...rel.split('/').filter(Boolean)), { withFileTypes: true });
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (!e.isFile() && !e.isDirectory()) continue;
      if (ignore.ignores(r, e.isDirectory())) continue;
      if (e.isDirectory()) await walk(r);
      else out.push({ path: r, data: await fsp.readFile(path.join(root, ...r.split('/'))) });
    }
  };
  await walk('');
  return out;
}

export class ReleaseBuilder {
  constructor(private readonly releases: ReleaseStore, private readonly blobs: BlobStore, private readonly key: SigningKey) {}

  async fromFolder(root: string, opts: ReleaseOptions = {}): Promise<ReleaseRecord> {
    const files = await projectFiles(root).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`cannot read project folder ${root}: ${e.code ?? e.message}`);
    });
    if (files.length === 0) throw new Error(`project folder ${root} has no files to release`);
    const bad = files.map((f) => [f.path, manifestPathProblem(f.path)] as const).filter(([, why]) => why);
    if (bad.length) throw new Error(`cannot release ${bad.map(([p, why]) => `${JSON.stringify(p)} (${why})`).join(', ')}: rename them or list them in .moteignore`);
    const entries: ManifestFile[] = files.map((f) => ({ path: f.path, size: f.data.length, sha256: this.blobs.put(f.data) }));
    const app = opts.app ?? path.basename(path.resolve(root)).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32);
    return this.sign({ seq: 0, app, port: opts.port ?? '*', mpy: opts.mpy ?? '*', files: entries }, `folder ${path.resolve(root)}`);
  }

  /** A new release (new, higher seq) with exactly the files of release `seq`: how a fleet goes back without a replay. */
  rollbackOf(seq: number): ReleaseRecord {
    const old = this.releases.get(seq);
    if (!old) throw new Error(`no release ${seq} to roll back to`);
    for (const f of old.manifest.files) if (!this.blobs.has(f.sha256)) throw new Error(`release ${seq} cannot be rebuilt: ${f.path} is gone from the blob store`);
    return this.sign({ ...old.manifest }, `rollback to ${seq}`);
  }

  private sign(m: Manifest, source: string): ReleaseRecord {
    const text = encodeManifest({ ...m, seq: this.releases.nextSeq() });
    // Devices fetch the manifest through the block server, like any file.
    this.blobs.put(Buffer.from(text, 'utf8'));
    return this.releases.add(text, this.key.sign(text), source);
  }
}
