// Fleet OTA benchmark (issue 6): 1,000 protocol-level simulated devices
// through a private mosquitto, a 50 KB change set (5 files of 10), rolled out
// in waves of 1% (min 5), 10%, 50%, 100%. Prints one table.
// Run: node --import tsx bench/ota/run.ts [devices]

import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FleetService } from '../../ota/server/fleet-service.js';
import { Mosquitto } from '../../ota/testing/mosquitto.js';
import { writeProject } from '../../ota/testing/fleet-fixture.js';
import { waitFor } from '../../ota/testing/wait-for.js';
import type { DeviceCounts, FromWorker, ToWorker } from './worker-protocol.js';

const DEVICES = Number(process.argv[2] ?? 1000);
const WORKERS = 2;
const GROUP = 'bench';
const PREFIX = 'bench/fleet';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-ota-'));
const rows: Array<[string, string, string]> = [];
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

function procStat(pid: number): { cpuMs: number; peakKb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const tick = 100; // USER_HZ on Linux
  const cpuMs = ((Number(stat[11]) + Number(stat[12])) * 1000) / tick;
  const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs, peakKb: hwm ? Number(hwm[1]) : 0 };
}

function ask(w: ChildProcess, m: ToWorker, want: FromWorker['type']): Promise<FromWorker> {
  return new Promise((resolve) => {
    const on = (r: FromWorker) => {
      if (r.type !== want) return;
      w.off('message', on);
      resolve(r);
    };
    w.on('message', on);
    w.send(m);
  });
}

async function counts(workers: ChildProcess[]): Promise<Map<string, DeviceCounts>> {
  const all = await Promise.all(workers.map((w) => ask(w, { type: 'counts' }, 'counts')));
  const out = new Map<string, DeviceCounts>();
  for (const r of all) if (r.type === 'counts') for (const d of r.devices) out.set(d.id, d);
  return out;
}

async function main(): Promise<void> {
  const broker = await Mosquitto.start();
  const svc = await FleetService.start({ dataDir: path.join(tmp, 'data'), broker: { kind: 'external', url: broker.url }, prefix: PREFIX });
  const sources = [(cb: () => void) => svc.engine.onRolloutChanged(cb), (cb: () => void) => svc.onDeviceChanged(cb)];

  // An app of 10 files; the release changes 5 of them, 10 KB each: a 50 KB change set.
  const v1: Record<string, Buffer> = { 'main.py': Buffer.from('import app\napp.run()\n') };
  for (let i = 1; i < 10; i++) v1[`lib/mod${i}.py`] = randomBytes(10_000);
  const v2 = { ...v1 };
  for (let i = 1; i <= 5; i++) v2[`lib/mod${i}.py`] = randomBytes(10_000);
  const changeSet = 5 * 10_000;

  const t0 = performance.now();
  const workerFile = path.join(import.meta.dirname, 'sim-worker.ts');
  const workers = Array.from({ length: WORKERS }, () => fork(workerFile, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' }));
  const ids = Array.from({ length: DEVICES }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  await Promise.all(workers.map((w, k) => ask(w, {
    type: 'start', url: broker.url, prefix: PREFIX, publicKey: svc.key.publicKey, files: v1, group: GROUP, blockSize: 2048, window: 4,
    ids: ids.filter((_, i) => i % WORKERS === k),
  }, 'ready')));
  await waitFor(`${DEVICES} devices registered`, () => svc.devices.count(GROUP).total === DEVICES, sources, 120_000);
  rows.push(['devices connected and registered', `${((performance.now() - t0) / 1000).toFixed(1)} s`, '']);

  const rel = await svc.buildRelease(writeProject(path.join(tmp, 'v2'), v2), { app: 'bench' });
  const before = await counts(workers);
  const cpu0 = process.cpuUsage();
  const mq0 = procStat(broker.pid!);
  const start = performance.now();
  const r = svc.startRollout(rel.seq, GROUP, { waves: [0.01, 0.1, 0.5, 1], minFirstWave: 5, successRatio: 0.99, failureRatio: 0.05, notifyPerSecond: 200, jitterMs: 2000 });
  await waitFor('rollout completed', () => svc.rollouts.get(r.id)!.state === 'completed', sources, 600_000);
  const rolloutS = (performance.now() - start) / 1000;
  await waitFor('every device on the release', () => svc.devices.count(GROUP, rel.seq).atSeq === DEVICES, sources, 120_000);
  const allS = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mq = procStat(broker.pid!);
  const after = await counts(workers);
  const simCpu = (await Promise.all(workers.map((w) => ask(w, { type: 'cpu' }, 'cpu')))).reduce((n, r) => n + (r.type === 'cpu' ? r.ms : 0), 0);

  const waves = svc.rollouts.waves(r.id);
  rows.push(['rollout: start to completed (all waves)', `${rolloutS.toFixed(1)} s`, '<= 180 s']);
  rows.push(['rollout: start to every device updated', `${allS.toFixed(1)} s`, '']);
  for (const w of waves) {
    rows.push([`  wave ${w.wave + 1} (${w.size} devices)`, `${((w.finishedAt! - w.startedAt!) / 1000).toFixed(1)} s`, '']);
  }
  const perDevice = [...after.values()].map((a) => ({ bytes: a.bytes - before.get(a.id)!.bytes, packets: a.packets - before.get(a.id)!.packets }));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const bytes = perDevice.map((d) => d.bytes).sort((a, b) => a - b);
  rows.push(['change set', `${changeSet} B in 5 files (of 10)`, '']);
  rows.push(['wire bytes per device, mean / max', `${mean(bytes).toFixed(0)} / ${bytes[bytes.length - 1]} B`, '']);
  rows.push(['  ratio to change set, mean / max', `${(mean(bytes) / changeSet).toFixed(3)} / ${(bytes[bytes.length - 1] / changeSet).toFixed(3)}`, '<= 1.2']);
  rows.push(['MQTT packets per device (both ways), mean', mean(perDevice.map((d) => d.packets)).toFixed(1), '']);
  rows.push(['blocks served (2 KB, window 4)', `${svc.blocks.stats.blocks} in ${svc.blocks.stats.requests} requests`, '']);
  rows.push(['fleet service peak RSS', mib(process.resourceUsage().maxRSS), '<= 300 MiB']);
  rows.push(['fleet service CPU during rollout', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${(((cpu.user + cpu.system) / 1e6 / allS) * 100).toFixed(0)}% of one core)`, '']);
  rows.push(['mosquitto peak RSS / CPU during rollout', `${mib(mq.peakKb)} / ${((mq.cpuMs - mq0.cpuMs) / 1000).toFixed(1)} s`, '']);
  rows.push(['simulator processes CPU (whole run)', `${(simCpu / 1000).toFixed(1)} s`, '']);
  rows.push(['devices on the new release', `${[...after.values()].filter((d) => d.seq === rel.seq).length} / ${DEVICES}`, '']);

  await Promise.all(workers.map((w) => ask(w, { type: 'close' }, 'closed')));
  await svc.close();
  await broker.close();
  fs.rmSync(tmp, { recursive: true, force: true });

  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\nFleet OTA, ${DEVICES} simulated devices through mosquitto (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})\n`);
  console.log(`${'measure'.padEnd(w0)}  ${'value'.padEnd(w1)}  target`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
