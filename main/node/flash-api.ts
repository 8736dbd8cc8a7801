// Firmware flashing for the IDE: the same engine as `mote flash`
// (runtime/flash), with progress as flashProgress events, one flash at a
// time, and a cancel. The IDE must let go of the port first: esptool needs it
// to itself, and a UF2 flash reboots the board under the connection.

import * as path from 'node:path';
import { catalogueEntries, FirmwareCache, loadLocalFirmware, type FirmwareImage } from '../../runtime/flash/catalogue.js';
import { flashEsp } from '../../runtime/flash/esp/esp-flash.js';
import { FlashError } from '../../runtime/flash/flash-errors.js';
import type { OnFlashProgress } from '../../runtime/flash/progress.js';
import { flashUf2 } from '../../runtime/flash/uf2/uf2-flash.js';
import { CATALOGUE_FILE_PREFIX, type EventSink, type FlashCatalogueEntry, type FlashRequest, type FlashResultInfo, type MoteBackend } from '../common/api.js';

export type FlashApi = Pick<MoteBackend, 'flashFirmware' | 'cancelFlash' | 'flashCatalogue'>;

export interface FlashHost {
  dataDir: string;
  emit: EventSink;
  /** Closes the IDE's connection to `port` if it holds it (the IDE falls back to the simulator). */
  releasePort(port: string): Promise<void>;
  /** Where UF2 drives are looked for (tests pass a folder; default: the OS's mount points). */
  uf2MountRoots?: readonly string[];
  /** Downloads for the catalogue (tests pass their own; default: fetch). */
  fetcher?: typeof fetch;
}

export function flashApi(h: FlashHost): FlashApi {
  const cache = new FirmwareCache(path.join(h.dataDir, 'cache', 'firmware'), h.fetcher);
  let running: AbortController | null = null;
  const progress: OnFlashProgress = (p) => h.emit('flashProgress', p);

  async function image(file: string, signal: AbortSignal): Promise<{ img: FirmwareImage; name: string }> {
    if (!file.startsWith(CATALOGUE_FILE_PREFIX)) return { img: loadLocalFirmware(file), name: file };
    const name = file.slice(CATALOGUE_FILE_PREFIX.length);
    const entry = catalogueEntries().find((e) => e.fileName === name);
    if (!entry) throw new FlashError('bad-image', `${name} is not in the firmware catalogue`);
    return { img: await cache.get(entry, { signal, onProgress: progress }), name };
  }

  async function flash(req: FlashRequest, signal: AbortSignal): Promise<FlashResultInfo> {
    const { img, name } = await image(req.file, signal);
    await h.releasePort(req.port);
    if (/\.uf2$/i.test(name)) {
      if (req.erase) throw new FlashError('bad-image', 'Erase is for ESP boards; a UF2 copy replaces the firmware (the files stay)');
      const r = await flashUf2({ image: img.bytes, port: req.port, mountRoots: h.uf2MountRoots, signal, onProgress: progress });
      return { chip: r.chip, bytes: r.bytes, md5: null, banner: r.banner };
    }
    const r = await flashEsp({ port: req.port, image: img.bytes, erase: req.erase, signal, onProgress: progress });
    return { chip: r.chip, bytes: r.bytes, md5: r.md5, banner: r.banner };
  }

  return {
    async flashFirmware(req) {
      if (running) throw new Error('a flash is already running; wait for it or cancel it');
      const ac = new AbortController();
      running = ac;
      try {
        return await flash(req, ac.signal);
      } finally {
        running = null;
      }
    },
    async cancelFlash() {
      running?.abort();
    },
    async flashCatalogue(): Promise<FlashCatalogueEntry[]> {
      return catalogueEntries().map((e) => ({
        fileName: e.fileName,
        board: e.board.id,
        boardTitle: e.board.title,
        version: e.release.version,
        url: e.url,
        kind: e.board.kind,
        cached: cache.cached(e),
      }));
    },
  };
}
