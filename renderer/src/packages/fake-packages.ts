// DEVELOPMENT ONLY: the fake back end's package manager (see dev/fake-api.ts):
// a small in-memory index and lock, with progress events, so the package
// browser can be looked at without a board or the network.

import type { InstalledPackageInfo, MoteApi, MoteEvents } from '../../../main/common/api';

type PackageCalls = Pick<MoteApi, 'packageSearch' | 'packagesInstalled' | 'packageInstall' | 'packageInstallLock' | 'packageRemove' | 'packageCancel'>;

const INDEX = [
  { name: 'aioble', version: '0.6.1', description: 'Asyncio-based wrapper for MicroPython bluetooth' },
  { name: 'ssd1306', version: '0.1.0', description: 'SSD1306 OLED driver' },
  { name: 'umqtt.simple', version: '1.6.0', description: 'Lightweight MQTT client' },
];

export function fakePackages(emit: (e: 'packageProgress', p: MoteEvents['packageProgress']) => void): PackageCalls {
  let installed: InstalledPackageInfo[] = [];
  const step = async (name: string) => {
    for (let i = 0; i <= 4; i++) {
      emit('packageProgress', { phase: 'upload', package: name, file: `/lib/${name}.mpy`, done: i * 256, total: 1024 });
      await new Promise((r) => setTimeout(r, 120));
    }
  };
  return {
    async packageSearch(q) {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      return INDEX.filter((e) => words.every((w) => `${e.name} ${e.description}`.toLowerCase().includes(w))).map((e) => ({
        ...e,
        installed: installed.find((p) => p.name === e.name)?.version ?? null,
      }));
    },
    packagesInstalled: async () => installed,
    async packageInstall(spec) {
      const name = spec.split('@')[0];
      const e = INDEX.find((x) => x.name === name);
      if (!e) throw new Error(`not found: ${name}`);
      await step(name);
      installed = [...installed.filter((p) => p.name !== name), { name, version: e.version, direct: true, files: 1, target: '/lib' }];
      return installed;
    },
    packageInstallLock: async () => installed,
    async packageRemove(name) {
      installed = installed.filter((p) => p.name !== name);
      return installed;
    },
    packageCancel: async () => undefined,
  };
}
