// SerialLink edge cases a pty cannot produce, on @serialport/binding-mock:
// the port vanishing with an I/O error while open, open failures, and the
// DTR/RTS lines as the binding sees them.
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PortBusyError, SerialLink } from './serial-link.js';

// @serialport/binding-mock's MockBinding, through serialport's re-export: the
// package's own "exports" hide its typings from NodeNext resolution.
const MockBinding = SerialPortMock.binding;
type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;

const PATH = '/dev/ttyMOCK0';

/** MockBinding, keeping hold of each port it opens (and able to fail an open the way the OS would). */
function recordingBinding(openError?: string) {
  const opened: MockPortBinding[] = [];
  /** Every `set` the link made on any port (binding-mock itself does not keep them). */
  const signals: Array<{ dtr?: boolean; rts?: boolean }> = [];
  const binding: typeof MockBinding = {
    ...MockBinding,
    async open(options) {
      if (openError) throw new Error(openError);
      const port = await MockBinding.open(options);
      const set = port.set.bind(port);
      port.set = (opts) => {
        signals.push({ dtr: opts.dtr, rts: opts.rts }); // the stream also sends its defaults (brk, cts, ...)
        return set(opts);
      };
      opened.push(port);
      return port;
    },
  };
  return { binding, opened, signals };
}

/** Makes the read the stream has pending fail as a vanished USB device's does (EIO, not a cancel). */
function unplug(port: MockPortBinding): void {
  const pending = (port as unknown as { pendingRead: ((e: Error | null) => void) | null }).pendingRead;
  if (!pending) throw new Error('no read pending on the mock port');
  pending(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
}

const nextTicks = () => new Promise((r) => setTimeout(r, 20));

describe('SerialLink on @serialport/binding-mock', () => {
  beforeEach(() => MockBinding.createPort(PATH, { record: true }));
  afterEach(() => MockBinding.reset());

  it('passes bytes both ways', async () => {
    const { binding, opened } = recordingBinding();
    const link = await SerialLink.open({ path: PATH, binding });
    const got: Buffer[] = [];
    link.onData((d) => got.push(Buffer.from(d)));
    await link.write(Buffer.from('hi\r\n'));
    expect(opened[0].recording.toString()).toBe('hi\r\n');
    opened[0].emitData(Buffer.from('>>> '));
    await nextTicks();
    expect(Buffer.concat(got).toString()).toBe('>>> ');
    await link.close();
  });

  it('reports a port that disappears while open to onClose with an Error, and rejects later writes clearly', async () => {
    const { binding, opened } = recordingBinding();
    const link = await SerialLink.open({ path: PATH, binding });
    const closed = new Promise<Error | null>((resolve) => link.onClose(resolve));
    await nextTicks(); // the stream's first read is now pending
    unplug(opened[0]);
    const err = await closed;
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/EIO/);
    await expect(link.write(Buffer.from('x'))).rejects.toThrow(`${PATH} is closed`);
    // Closing a link that is already gone is harmless.
    await expect(link.close()).resolves.toBeUndefined();
  });

  it('gives onClose null for a close the program asked for', async () => {
    const { binding } = recordingBinding();
    const link = await SerialLink.open({ path: PATH, binding });
    const onClose = vi.fn();
    link.onClose(onClose);
    await link.close();
    await nextTicks();
    expect(onClose).toHaveBeenCalledWith(null);
    await expect(link.write(Buffer.from('x'))).rejects.toThrow(`${PATH} is closed`);
  });

  it('maps a locked port to PortBusyError', async () => {
    const { binding } = recordingBinding();
    const first = await SerialLink.open({ path: PATH, binding });
    // binding-mock refuses a second open of the same port: "Port is locked cannot open".
    const err = await SerialLink.open({ path: PATH, binding }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortBusyError);
    expect((err as Error).message).toMatch(/is busy: another program/);
    await first.close();
  });

  it.each([
    ['EBUSY: Resource busy, cannot open /dev/ttyMOCK0', /is busy: another program/],
    ['Error: Resource temporarily unavailable Cannot lock port', /is busy: another program/],
    ['Error: No such file or directory, cannot open /dev/ttyMOCK0', /does not exist \(was the board unplugged\?\)/],
    ['Error: Permission denied, cannot open /dev/ttyMOCK0', /no permission to open \/dev\/ttyMOCK0: on Linux add yourself to the dialout group/],
  ])('maps the open failure %j to a clear message', async (osMessage, expected) => {
    const { binding } = recordingBinding(osMessage);
    await expect(SerialLink.open({ path: PATH, binding })).rejects.toThrow(expected);
  });

  it('passes an unknown open failure through unchanged', async () => {
    const { binding } = recordingBinding('Error: something odd');
    await expect(SerialLink.open({ path: PATH, binding })).rejects.toThrow(/^Error: something odd$/);
  });

  it('refuses 1200 baud before touching the port', async () => {
    const { binding } = recordingBinding();
    const open = vi.spyOn(binding, 'open');
    await expect(SerialLink.open({ path: PATH, binding, baudRate: 1200 })).rejects.toThrow(/bootloader/);
    expect(open).not.toHaveBeenCalled();
  });

  it('opens with the lock, no HUPCL and 115200 baud by default', async () => {
    const { binding, opened } = recordingBinding();
    const link = await SerialLink.open({ path: PATH, binding });
    expect(opened[0].openOptions).toMatchObject({ path: PATH, baudRate: 115200, lock: true, hupcl: false });
    await link.close();
  });

  it('sets DTR and RTS together, both explicit, at open and by setSignals', async () => {
    const { binding, opened, signals } = recordingBinding();
    // Only dtr given: rts is still set, to false, in the same call.
    const link = await SerialLink.open({ path: PATH, binding, dtr: true });
    expect(opened).toHaveLength(1);
    expect(signals).toEqual([{ dtr: true, rts: false }]);
    await link.setSignals(false, true);
    await link.setSignals(true, true);
    expect(signals).toEqual([
      { dtr: true, rts: false },
      { dtr: false, rts: true },
      { dtr: true, rts: true },
    ]);
    await link.close();
  });

  it('leaves DTR and RTS alone at open when neither is asked for', async () => {
    const { binding, signals } = recordingBinding();
    const link = await SerialLink.open({ path: PATH, binding });
    await nextTicks();
    expect(signals).toEqual([]);
    await link.close();
  });

  it('rejects setSignals on a port that is gone', async () => {
    const { binding, opened } = recordingBinding();
    const link = await SerialLink.open({ path: PATH, binding });
    const closed = new Promise<Error | null>((resolve) => link.onClose(resolve));
    await nextTicks();
    unplug(opened[0]);
    await closed;
    await expect(link.setSignals(false, false)).rejects.toThrow(/not open/i);
  });
});
