// Fleet OTA with real agents (issue 6): the same kind of release as
// bench/ota/run.ts (5 changed files of 10, about 50 KB) to N simulated boards
// running the real agent (ota/device/*.py on the MicroPython wasm
// interpreter, one worker thread per board, sockets through the simulator's
// network), through a private mosquitto. Prints one table.
// Run: npm run build && node --import tsx bench/ota/agents.ts [boards]

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selfCheckingApp, sameApp } from '../../ota/device/agent-apps.js';
import { AgentBoard, simBoardConfig } from '../../ota/device/agent-board.js';
import { FleetService } from '../../ota/server/fleet-service.js';
import { Mosquitto } from '../../ota/testing/mosquitto.js';
import { writeProject } from '../../ota/testing/fleet-fixture.js';
import { waitFor } from '../../ota/testing/wait-for.js';

const BOARDS = Number(process.argv[2] ?? 50);
const GROUP = 'agents';
const PREFIX = 'bench/agents';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mote-bench-agents-'));
const rows: Array<[string, string]> = [];
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const broker = await Mosquitto.start();
  const svc = await FleetService.start({ dataDir: path.join(tmp, 'data'), broker: { kind: 'external', url: broker.url }, prefix: PREFIX });
  const sources = [(cb: () => void) => svc.engine.onRolloutChanged(cb), (cb: () => void) => svc.onDeviceChanged(cb)];

  // 10 files: main.py, 8 modules of ~12 KB, a data file. The release changes main.py and 4 modules.
  const mods = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`mod${i + 1}`, 1]));
  const v1 = selfCheckingApp(mods, Buffer.alloc(4000, 3), 12_000);
  const v2 = selfCheckingApp({ ...mods, mod1: 2, mod2: 2, mod3: 2, mod4: 2 }, Buffer.alloc(4000, 3), 12_000);
  const changed = Object.keys(v2).filter((p) => !v1[p].equals(v2[p]));
  const changeSet = changed.reduce((n, p) => n + v2[p].length, 0);

  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const boards = Array.from({ length: BOARDS }, (_, i) => {
    const id = `agent-${String(i + 1).padStart(3, '0')}`;
    // 2 KB blocks with a window of 4: what an ESP8266 can take.
    return AgentBoard.create(path.join(tmp, 'boards', id), simBoardConfig(broker.url, PREFIX, svc.key.publicKey, id, { tags: [GROUP], block: 2048, window: 4 }), v1);
  });
  for (const b of boards) await b.powerOn();
  await waitFor(`${BOARDS} boards registered`, () => svc.devices.count(GROUP).total === BOARDS, sources, 300_000);
  const upMs = performance.now() - t0;
  const rssUp = process.memoryUsage().rss;

  const rel = await svc.buildRelease(writeProject(path.join(tmp, 'v2'), v2), { app: 'bench' });
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const r = svc.startRollout(rel.seq, GROUP, { waves: [0.1, 0.5, 1], minFirstWave: 5, successRatio: 1, failureRatio: 0.05, jitterMs: 1000 });
  await waitFor('rollout completed', () => svc.rollouts.get(r.id)!.state === 'completed', sources, 900_000);
  await waitFor('every board on the release', () => svc.devices.count(GROUP, rel.seq).atSeq === BOARDS, sources, 120_000);
  const allMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);

  const perBoard = svc.rollouts.devices(r.id).filter((d) => d.state === 'succeeded').map((d) => d.updatedAt - d.notifiedAt!).sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((n, x) => n + x, 0) / xs.length;
  const complete = boards.filter((b) => sameApp(b.activeApp(), v2)).length;
  const stats = svc.blocks.stats;
  const manifestSha = createHash('sha256').update(rel.manifestText).digest('hex');
  const fileBytes = [...stats.bySha.entries()].filter(([sha]) => sha !== manifestSha).reduce((n, [, b]) => n + b, 0);

  rows.push([`${BOARDS} boards powered on and registered`, s(upMs)]);
  rows.push(['rollout: start to every board updated', s(allMs)]);
  for (const w of svc.rollouts.waves(r.id)) rows.push([`  wave ${w.wave + 1} (${w.size} boards)`, s(w.finishedAt! - w.startedAt!)]);
  rows.push(['per board, notified to confirmed: median / max', `${s(perBoard[perBoard.length >> 1])} / ${s(perBoard[perBoard.length - 1])}`]);
  rows.push(['change set', `${changeSet} B in ${changed.length} files (of ${Object.keys(v2).length})`]);
  rows.push(['file bytes served per board / change set', `${Math.round(fileBytes / BOARDS)} B / ${(fileBytes / BOARDS / changeSet).toFixed(3)}`]);
  rows.push(['all block bytes per board (manifest included)', `${Math.round(stats.bytes / BOARDS)} B in ${(stats.blocks / BOARDS).toFixed(1)} blocks, ${(stats.requests / BOARDS).toFixed(1)} requests`]);
  rows.push(['host RSS: before / boards up / peak', `${mib(rss0)} / ${mib(rssUp)} / ${mib(process.resourceUsage().maxRSS * 1024)}`]);
  rows.push(['  per board (boards up - before)', mib((rssUp - rss0) / BOARDS)]);
  rows.push(['host CPU during rollout (service + boards)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${(((cpu.user + cpu.system) / 1e3 / allMs) * 100).toFixed(0)}% of one core)`]);
  rows.push(['boards with exactly the new app in the active slot', `${complete} / ${BOARDS}`]);
  rows.push(['mean per-board time', s(mean(perBoard))]);

  await Promise.all(boards.map((b) => b.close()));
  await svc.close();
  await broker.close();
  fs.rmSync(tmp, { recursive: true, force: true });

  const w0 = Math.max(...rows.map((x) => x[0].length));
  console.log(`\nFleet OTA, ${BOARDS} simulated boards running the real agent, through mosquitto (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})\n`);
  console.log(`${'measure'.padEnd(w0)}  value`);
  for (const [a, b] of rows) console.log(`${a.padEnd(w0)}  ${b}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
