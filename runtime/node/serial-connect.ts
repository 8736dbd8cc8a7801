// Getting a serial board's attention, shared by the CLI and the IDE back end.

import { ConnectError, connectBoard, resetBySignals, type Connection } from '../common/board-connect.js';
import { listPorts } from './port-list.js';
import type { SerialLink } from './serial-link.js';

/**
 * Ctrl-C first. Only if that fails, and only on a USB-UART bridge (where
 * DTR/RTS are wired to the chip's reset, as on ESP boards), a hardware reset:
 * on native-USB boards the lines mean nothing, or "output may flow".
 */
export async function connectSerial(link: SerialLink, port: string, identify: boolean, budgetMs = 6000): Promise<Connection> {
  try {
    return await connectBoard(link, { identify, hardReset: null, budgetMs });
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    const kind = (await listPorts().catch(() => [])).find((p) => p.path === port)?.kind;
    if (kind !== 'usb-uart') throw e;
    return connectBoard(link, { identify, budgetMs, hardReset: () => resetBySignals((dtr, rts) => link.setSignals(dtr, rts)) });
  }
}
