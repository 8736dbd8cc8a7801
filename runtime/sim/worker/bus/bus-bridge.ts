// `_mote_wires`: the JS module behind machine.I2C, SoftI2C, SPI, SoftSPI and
// UART on the simulated board (their Python side is runtime/sim/python/
// _mote_bus*.py). Buses are addressed by the pins they use, so hardware and
// software controllers on the same pins share the same devices. Buffers are
// passed as (uctypes.addressof(buf), len(buf)) and read or written in the
// interpreter's memory. Every function takes and returns ints and short
// strings and never throws: errors are negative codes that the Python side
// turns into the port's exception.

import type { BoardProfile } from '../../common/board-profile.js';
import type { BoardView } from '../../common/board-view.js';
import type { BridgeContext, PeripheralBridge } from '../bridge-context.js';
import { i2cDeviceWires, spiFlashWires } from './bus-wiring.js';
import { I2cBus, type BusClock, type I2cDevice } from './i2c-bus.js';
import { Sht3x } from './sht3x.js';
import { SpiBus } from './spi-bus.js';
import { SpiFlash } from './spi-flash.js';
import { Ssd1306 } from './ssd1306.js';
import { UartLoopback } from './uart-loopback.js';

/** Bad arguments from Python (not a buffer): the Python side raises ValueError. */
export const BAD_ARGUMENT = -4;
/** A JS fault in a model: reported as EIO rather than escaping into the interpreter. */
export const INTERNAL_FAULT = -5;

export const BUS_MODULE = '_mote_wires';
/** A transfer larger than this is refused (the biggest real one is an OLED frame or a flash page). */
const MAX_TRANSFER = 1 << 20;

/** The bus bridge plus what tests and the benchmark look at directly. */
export interface BusBridge extends PeripheralBridge {
  readonly oled: Ssd1306 | null;
  readonly flash: SpiFlash | null;
  /** A CS (or any) GPIO changed level: SPI devices see the edge. */
  onPinChange(gpio: number, level: 0 | 1): void;
}

export function workerClock(ctx: Pick<BridgeContext, 'checkInterrupt' | 'waitHost'>): BusClock {
  return {
    now: () => performance.now(),
    sleep(ms) {
      const deadline = performance.now() + ms;
      for (;;) {
        if (ctx.checkInterrupt()) return false;
        const left = deadline - performance.now();
        if (left <= 0) return true;
        ctx.waitHost(left);
      }
    },
  };
}

export function busBridge(ctx: BridgeContext, clock: BusClock = workerClock(ctx)): BusBridge {
  const i2cWires = i2cDeviceWires(ctx.profile);
  const oled = i2cWires ? new Ssd1306(i2cWires.label, undefined, () => ctx.markViewDirty()) : null;
  const i2cDevices: I2cDevice[] = oled ? [oled, new Sht3x(ctx.inputs)] : [];
  const spiWires = spiFlashWires(ctx.profile);
  const flash = spiWires ? new SpiFlash(spiWires.cs) : null;

  const i2cBuses = new Map<string, I2cBus>();
  const i2c = (scl: number, sda: number): I2cBus => {
    const key = `${scl}/${sda}`;
    let bus = i2cBuses.get(key);
    if (!bus) {
      const wired = i2cWires && i2cWires.scl === scl && i2cWires.sda === sda;
      // Pull-ups keep idle lines high; an external circuit driving one low holds the bus.
      const held = () => ctx.inputs.pinLevel(scl) === 0 || ctx.inputs.pinLevel(sda) === 0;
      i2cBuses.set(key, (bus = new I2cBus(wired ? i2cDevices : [], clock, held)));
    }
    return bus;
  };
  const spiBuses = new Map<string, SpiBus>();
  const spi = (sck: number, mosi: number, miso: number): SpiBus => {
    const key = `${sck}/${mosi}/${miso}`;
    let bus = spiBuses.get(key);
    if (!bus) {
      const wired = spiWires && flash && spiWires.sck === sck && spiWires.mosi === mosi && spiWires.miso === miso;
      spiBuses.set(key, (bus = new SpiBus(wired ? [flash] : [])));
    }
    return bus;
  };
  const uarts = new Map<number, UartLoopback>();
  const uart = (id: number): UartLoopback => {
    let u = uarts.get(id);
    if (!u) uarts.set(id, (u = new UartLoopback(() => clock.now())));
    return u;
  };

  const mem = ctx.memory;
  /** Could (ptr, len) be a Python buffer from uctypes.addressof? */
  const valid = (ptr: number, len: number) => Number.isInteger(len) && len >= 0 && len <= MAX_TRANSFER && (len === 0 || ptr > 0);
  const buffer = (ptr: number, len: number): Uint8Array | null => (valid(ptr, len) ? mem.read(ptr, len) : null);
  /** writevto's leading buffers, sent with the next i2c_write as one message. */
  let staged: Uint8Array[] = [];
  const takeStaged = (last: Uint8Array): Uint8Array => {
    if (!staged.length) return last;
    const parts = [...staged, last];
    staged = [];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };

  const module = {
    /** Default pins per bus id as JSON: {"i2c": {"0": [scl, sda]}, "spi": {"0": [sck, mosi, miso]}, "uart": {"0": [tx, rx]}}. */
    defaults: () => JSON.stringify(busDefaults(ctx.profile)),
    /** Addresses that ACK, comma-separated. */
    i2c_scan: (scl: number, sda: number) => i2c(scl, sda).scan().join(','),
    /** Stages a leading buffer of writevto; `first` drops what an interrupted writevto left. */
    i2c_stage: (ptr: number, len: number, first: number) => {
      if (first) staged = [];
      const data = buffer(ptr, len);
      if (!data) return (staged = []), BAD_ARGUMENT;
      staged.push(data);
      return 0;
    },
    /** Sends this buffer (after the staged ones when withStaged) as one message; the number of data bytes ACKed, or an error. */
    i2c_write: (scl: number, sda: number, addr: number, ptr: number, len: number, stop: number, withStaged: number) => {
      const data = buffer(ptr, len);
      if (!withStaged) staged = [];
      if (!data) return (staged = []), BAD_ARGUMENT;
      return i2c(scl, sda).write(addr, takeStaged(data), !!stop);
    },
    /** Reads len bytes into the buffer at ptr; 0 or an error. */
    i2c_read: (scl: number, sda: number, addr: number, ptr: number, len: number, stop: number, timeoutUs: number) => {
      if (!valid(ptr, len)) return BAD_ARGUMENT;
      const r = i2c(scl, sda).read(addr, len, !!stop, timeoutUs);
      if (typeof r === 'number') return r;
      mem.write(ptr, r);
      return 0;
    },
    /** SoftI2C primitives: op 0 start, 1 stop, 2 write (returns ACKs), 3 readinto. */
    i2c_raw: (scl: number, sda: number, op: number, ptr: number, len: number, timeoutUs: number) => {
      const bus = i2c(scl, sda);
      if (op === 0) return bus.rawStart(), 0;
      if (op === 1) return bus.rawStop(), 0;
      if (!valid(ptr, len)) return BAD_ARGUMENT;
      if (op === 2) return bus.rawWrite(mem.read(ptr, len));
      if (op !== 3) return BAD_ARGUMENT;
      const r = bus.rawRead(len, timeoutUs);
      if (typeof r === 'number') return r;
      mem.write(ptr, r);
      return 0;
    },
    /** CS GPIOs of the devices on these wires, comma-separated. */
    spi_cs_pins: (sck: number, mosi: number, miso: number) => spi(sck, mosi, miso).csPins().join(','),
    /**
     * Clocks len bytes: from outPtr (0: the byte `fill` each time) into inPtr
     * (0: discarded). `format` = mode | bits << 2 | lsbFirst << 8;
     * `csLevels` bit i = level of spi_cs_pins()[i] now.
     */
    spi_transfer: (sck: number, mosi: number, miso: number, outPtr: number, len: number, inPtr: number, fill: number, format: number, csLevels: number) => {
      if (!valid(Math.max(1, outPtr), len)) return BAD_ARGUMENT;
      const out = outPtr ? mem.read(outPtr, len) : new Uint8Array(len).fill(fill & 0xff);
      const bus = spi(sck, mosi, miso);
      const now = clock.now();
      bus.csPins().forEach((g, i) => bus.pinChanged(g, ((csLevels >> i) & 1) as 0 | 1, now));
      const got = bus.transfer(out, { mode: format & 3, bits: (format >> 2) & 0x3f, lsbFirst: ((format >> 8) & 1) === 1 }, now);
      if (inPtr) mem.write(inPtr, got);
      return 0;
    },
    uart_init: (id: number, baudrate: number, bits: number, parity: number, stop: number, rxbuf: number, txbuf: number) => {
      if (baudrate <= 0 || rxbuf < 0 || txbuf < 0) return BAD_ARGUMENT;
      uart(id).init({ baudrate, bits, parity, stop, rxbuf, txbuf });
      return 0;
    },
    /** Takes what fits in the TX buffer; returns the count (the Python side waits and writes the rest). */
    uart_write: (id: number, ptr: number, len: number) => {
      const data = buffer(ptr, len);
      return data ? uart(id).write(data) : BAD_ARGUMENT;
    },
    /** Moves up to len received bytes into the buffer at ptr, without waiting; returns the count. */
    uart_read: (id: number, ptr: number, len: number, untilNewline: number) => {
      if (!valid(ptr, len)) return BAD_ARGUMENT;
      const got = Uint8Array.from(uart(id).read(len, !!untilNewline));
      mem.write(ptr, got);
      return got.length;
    },
    uart_any: (id: number) => uart(id).any(),
    uart_txdone: (id: number) => (uart(id).txdone() ? 1 : 0),
    /** µs until the next byte reaches RX (-1: none on its way). */
    uart_next_us: (id: number) => uart(id).nextArrivalUs(),
    /** µs until the line is idle (room=0) or the TX buffer has room (room=1). */
    uart_tx_wait_us: (id: number, room: number) => uart(id).txWaitUs(!!room),
    /** One character time in µs, the least a port waits between characters. */
    uart_char_us: (id: number) => Math.ceil(uart(id).charMs() * 1000),
  };

  return {
    name: BUS_MODULE,
    oled,
    flash,
    module: () => neverThrowing(module),
    contribute(view: BoardView) {
      if (oled?.used) view.displays.push(oled.view());
    },
    onPinChange(gpio, level) {
      const now = clock.now();
      for (const bus of spiBuses.values()) bus.pinChanged(gpio, level, now);
    },
  };
}

function busDefaults(p: BoardProfile): Record<'i2c' | 'spi' | 'uart', Record<string, number[]>> {
  const map = <T>(buses: Record<number, T>, pins: (b: T) => number[]) =>
    Object.fromEntries(Object.entries(buses).map(([id, b]) => [id, pins(b)]));
  return {
    i2c: map(p.i2c, (b) => [b.scl, b.sda]),
    spi: map(p.spi, (b) => [b.sck, b.mosi, b.miso]),
    uart: map(p.uart, (b) => [b.tx, b.rx]),
  };
}

/** Wraps each function so a fault in a model becomes an error code, never a JS exception in the interpreter. */
function neverThrowing<T extends Record<string, (...a: never[]) => unknown>>(fns: T): T {
  const out: Record<string, (...a: never[]) => unknown> = {};
  for (const [name, fn] of Object.entries(fns)) {
    out[name] = (...args: never[]) => {
      try {
        return fn(...args);
      } catch {
        return INTERNAL_FAULT;
      }
    };
  }
  return out as T;
}
