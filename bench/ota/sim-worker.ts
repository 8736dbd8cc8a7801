// A benchmark child process holding a share of the simulated devices, so the
// fleet service's process (the one measured) holds only the service.

import { SimDevice } from '../../ota/sim/sim-device.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const send = (m: FromWorker) => process.send!(m);
let devices: SimDevice[] = [];

process.on('message', async (m: ToWorker) => {
  if (m.type === 'start') {
    const files = new Map(Object.entries(m.files).map(([k, v]) => [k, Buffer.from(v)]));
    devices = m.ids.map((id) => new SimDevice({
      id, endpoint: { url: m.url }, prefix: m.prefix, publicKey: m.publicKey, files, tags: [m.group], blockSize: m.blockSize, window: m.window,
      // A loaded 2-core machine can stall a second; re-asking sooner would only add duplicate blocks.
      timeoutMs: 5000,
    }));
    // Connect in batches: a thousand simultaneous CONNECTs is a storm no real fleet produces.
    for (let i = 0; i < devices.length; i += 50) await Promise.all(devices.slice(i, i + 50).map((d) => d.boot()));
    send({ type: 'ready' });
  } else if (m.type === 'counts') {
    send({ type: 'counts', devices: devices.map((d) => {
      const c = d.counts();
      return { id: d.id, bytes: c.rxBytes + c.txBytes, packets: c.rxPackets + c.txPackets, seq: d.flash.installedSeq };
    }) });
  } else if (m.type === 'cpu') {
    const c = process.cpuUsage();
    send({ type: 'cpu', ms: (c.user + c.system) / 1000 });
  } else if (m.type === 'close') {
    await Promise.all(devices.map((d) => d.close()));
    send({ type: 'closed' });
    process.exit(0);
  }
});
