// Whether a release fits a device: same port (or "*"), and the device's
// MicroPython at least the manifest's major.minor.

import type { Manifest } from './manifest.js';

/** Why `m` cannot run on a device reporting `port` and `mpyVersion` ("1.22.0"), or null when it can. */
export function incompatibility(m: Pick<Manifest, 'port' | 'mpy'>, port: string, mpyVersion: string): string | null {
  if (m.port !== '*' && m.port !== port) return `release is for port ${m.port}, device is ${port}`;
  if (m.mpy === '*') return null;
  const [wantMaj, wantMin] = m.mpy.split('.').map(Number);
  const [haveMaj = 0, haveMin = 0] = mpyVersion.split('.').map(Number);
  if (haveMaj < wantMaj || (haveMaj === wantMaj && haveMin < wantMin)) return `release needs MicroPython ${m.mpy}, device has ${mpyVersion}`;
  return null;
}
