// Getting a board's attention, whatever it is doing: idle at a prompt, in the
// raw REPL from an earlier session, running a program that prints without
// pause, or stuck in a loop that ignores Ctrl-C (a looping main.py). Then it
// says what board it is. Every wait has a deadline inside one overall budget,
// and a failure says what the board sent and what was tried.

import type { Link } from './link.js';
import { BoardTimeoutError, LinkReader } from './link-reader.js';
import { BoardError, RAW_PROMPT, RawRepl, type RawReplOptions } from './raw-repl.js';
import { IdentifyError, identifyBoard, type BoardInfo } from './board-identify.js';

/**
 * Optional capability of a Link: reset the board in hardware (DTR/RTS on a
 * serial port, the RESET button of the simulator). Used only when Ctrl-C
 * cannot stop what runs.
 */
export interface HardResettable {
  hardReset(): Promise<void>;
}

export function canHardReset(link: Link): link is Link & HardResettable {
  return typeof (link as Partial<HardResettable>).hardReset === 'function';
}

/**
 * The classic DTR/RTS reset of USB-UART boards (ESP8266/ESP32 auto-reset
 * circuit: RTS drives EN, DTR drives IO0). (DTR, RTS) = (false, true) holds
 * the chip in reset; (false, false) releases it to boot normally (DTR stays
 * false, so it does not enter the bootloader). Native-USB boards ignore it.
 */
export async function resetBySignals(setSignals: (dtr: boolean, rts: boolean) => Promise<void>, holdMs = 100): Promise<void> {
  await setSignals(false, true);
  await new Promise((r) => setTimeout(r, holdMs)); // the reset pulse must last; not a wait for the board
  await setSignals(false, false);
}

export type ConnectStep = 'interrupt' | 'interrupt-burst' | 'hard-reset' | 'identify';

/** The strongest measure it took to reach the raw REPL. */
export type Recovery = 'none' | 'interrupt-burst' | 'hard-reset';

export interface ConnectOptions {
  /** Overall limit for getting the raw prompt (default 10 s; identify has its own limit). */
  budgetMs?: number;
  /** Run the identify program (default true). */
  identify?: boolean;
  /** Leave the board in the raw REPL instead of the friendly REPL (default false). */
  stayRaw?: boolean;
  /** How to hard-reset; default: the link's own hardReset() if it has one; null: never. */
  hardReset?: (() => Promise<void>) | null;
  /** Progress, for a status line. */
  onStep?: (step: ConnectStep) => void;
  repl?: RawReplOptions;
}

export interface Connection {
  info: BoardInfo | null;
  /** Why identify failed on a board that otherwise answers (odd firmware); info is then null. */
  identifyError: string | null;
  recovery: Recovery;
  /** True when a running program was stopped (its traceback was seen). */
  stoppedProgram: boolean;
  /** What the board printed while we got its attention (the last 4 KiB). */
  received: Buffer;
  /** Time to the raw prompt, and in total. */
  attentionMs: number;
  totalMs: number;
}

export class ConnectError extends Error {
  constructor(
    message: string,
    readonly received: Buffer,
    readonly tried: ConnectStep[],
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

/** How long to wait for the prompt after the first, polite interrupt. */
const FIRST_WAIT_MS = 1000;
/** ...and after each later burst of Ctrl-C. */
const BURST_WAIT_MS = 800;
/** Ctrl-C bytes per burst, and their spacing: a loop that catches KeyboardInterrupt may get the next one outside its try. */
const BURST_COUNT = 4;
const BURST_SPACING_MS = 25;
/** After a hard reset, Ctrl-C this often until a prompt shows, to stop main.py before it gets going. */
const RESET_BURST_EVERY_MS = 10;
const RESET_BURST_MS = 2500;
const TAIL_BYTES = 4096;

export async function connectBoard(link: Link, opts: ConnectOptions = {}): Promise<Connection> {
  const start = Date.now();
  const deadline = start + (opts.budgetMs ?? 10000);
  const hardReset = opts.hardReset === null ? null : (opts.hardReset ?? (canHardReset(link) ? () => link.hardReset() : null));
  const tail = new Tail(TAIL_BYTES);
  const tried: ConnectStep[] = [];
  const step = (s: ConnectStep) => {
    tried.push(s);
    opts.onStep?.(s);
  };
  const rx = new LinkReader(link);
  let recovery: Recovery = 'none';
  try {
    let reached = false;
    // 1. The polite way: one Ctrl-C, then Ctrl-A. An idle board answers in milliseconds.
    step('interrupt');
    await link.write(Buffer.from('\r\x03'));
    await link.write(Buffer.from('\r\x01'));
    reached = await waitForMarker(rx, RAW_PROMPT, Math.min(deadline, Date.now() + FIRST_WAIT_MS), tail);
    if (reached) reached = await syncRaw(rx, link, deadline);

    // 2. Bursts of Ctrl-C, until about half the budget (all of it without a hard reset).
    const burstUntil = hardReset ? start + (deadline - start) / 2 : deadline;
    while (!reached && Date.now() < burstUntil) {
      step('interrupt-burst');
      recovery = 'interrupt-burst';
      for (let i = 0; i < BURST_COUNT; i++) {
        await link.write(Uint8Array.of(0x03));
        await drainFor(rx, Date.now() + BURST_SPACING_MS, tail);
      }
      await link.write(Buffer.from('\r\x01'));
      reached = await waitForMarker(rx, RAW_PROMPT, Math.min(burstUntil, Date.now() + BURST_WAIT_MS), tail);
      if (reached) reached = await syncRaw(rx, link, deadline);
    }

    // 3. Reset the board and interrupt it as it boots, before main.py gets going.
    if (!reached && hardReset && Date.now() < deadline) {
      step('hard-reset');
      recovery = 'hard-reset';
      await hardReset();
      const burstEnd = Math.min(deadline, Date.now() + RESET_BURST_MS);
      let prompt = false;
      while (!prompt && Date.now() < burstEnd) {
        await link.write(Uint8Array.of(0x03));
        prompt = await waitForMarker(rx, '>>> ', Math.min(burstEnd, Date.now() + RESET_BURST_EVERY_MS), tail);
      }
      while (!reached && Date.now() < deadline) {
        await link.write(Buffer.from('\r\x03\r\x01'));
        reached = await waitForMarker(rx, RAW_PROMPT, Math.min(deadline, Date.now() + BURST_WAIT_MS), tail);
        if (reached) reached = await syncRaw(rx, link, deadline);
      }
    }

    if (!reached) throw failure(link, tail.bytes(), tried, opts.budgetMs ?? 10000);
  } finally {
    rx.dispose();
  }

  const attentionMs = Date.now() - start;
  const received = tail.bytes();
  let info: BoardInfo | null = null;
  let identifyError: string | null = null;
  const repl = new RawRepl(link, opts.repl);
  try {
    if (opts.identify !== false) {
      step('identify');
      try {
        info = await identifyBoard(repl);
      } catch (e) {
        // A board that runs code but answers oddly is still usable; a board that stopped answering is not.
        if (!(e instanceof IdentifyError || e instanceof BoardError)) throw e;
        identifyError = e.message;
      }
    }
    if (!opts.stayRaw) await repl.exit();
  } finally {
    repl.dispose();
  }
  return {
    info,
    identifyError,
    recovery,
    stoppedProgram: received.includes('KeyboardInterrupt'),
    received,
    attentionMs,
    totalMs: Date.now() - start,
  };
}

let syncCounter = 0;

/**
 * Makes sure the raw prompt just seen is the last one coming. Ctrl-A bytes
 * sent in earlier attempts may still be on their way and would re-print the
 * banner in the middle of the next command. The board handles bytes in
 * order, so once a tiny program's output is back, nothing older is left.
 * The marker is printed as two values so it never appears in an echo
 * (in case the board fell back to the friendly REPL, e.g. after a reset).
 */
async function syncRaw(rx: LinkReader, link: Link, deadline: number): Promise<boolean> {
  const n = ++syncCounter;
  await link.write(Buffer.from(`print('mote-sync',${n})\x04`));
  // Our own exchange is not what the board "said"; keep it out of the tail.
  return waitForMarker(rx, `mote-sync ${n}\r\n\x04\x04>`, Math.min(deadline, Date.now() + 2000), new Tail(0));
}

/**
 * Waits until `marker` arrives or `until` passes, keeping only a small window
 * in memory: a board printing without pause must not make the search
 * quadratic or the buffer huge. Bytes after the marker stay in the reader.
 */
async function waitForMarker(rx: LinkReader, marker: string, until: number, tail: Tail): Promise<boolean> {
  const m = Buffer.from(marker, 'latin1');
  let carry = Buffer.alloc(0);
  for (;;) {
    if (rx.pending === 0) {
      try {
        await rx.waitForData(until, 'waiting for the board');
      } catch (e) {
        if (e instanceof BoardTimeoutError) return false;
        throw e;
      }
    }
    const chunk = rx.take();
    const hay = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const i = hay.indexOf(m);
    if (i >= 0) {
      tail.push(hay.subarray(carry.length, i + m.length));
      rx.unread(hay.subarray(i + m.length));
      return true;
    }
    tail.push(chunk);
    carry = Buffer.from(hay.subarray(Math.max(0, hay.length - (m.length - 1))));
  }
}

/** Takes what arrives until `until`, into the tail. */
async function drainFor(rx: LinkReader, until: number, tail: Tail): Promise<void> {
  for (;;) {
    tail.push(rx.take());
    try {
      await rx.waitForData(until, 'draining');
    } catch (e) {
      if (e instanceof BoardTimeoutError) return;
      throw e;
    }
  }
}

function failure(link: Link, received: Buffer, tried: ConnectStep[], budgetMs: number): ConnectError {
  const secs = Math.round(budgetMs / 1000);
  const shown = JSON.stringify(received.subarray(-200).toString('latin1'));
  const bursts = tried.filter((s) => s === 'interrupt-burst').length;
  const what = `tried Ctrl-C, ${bursts} burst${bursts === 1 ? '' : 's'} of Ctrl-C${tried.includes('hard-reset') ? ', a hard reset' : ''}`;
  if (received.length === 0) {
    return new ConnectError(
      `no answer from ${link.name} within ${secs} s (${what}; nothing was received). ` +
        'Is it running MicroPython, at this baud rate? A board in its bootloader does not answer.',
      received,
      tried,
    );
  }
  return new ConnectError(
    `${link.name} did not enter the raw REPL within ${secs} s (${what}). ` +
      `It seems to run a program that ignores Ctrl-C; it last sent ${shown}. ` +
      'Press its RESET button and connect again at once, or remove the looping main.py/boot.py.',
    received,
    tried,
  );
}

/** The last `max` bytes of a stream. */
class Tail {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  push(b: Buffer): void {
    if (!b.length) return;
    this.parts.push(Buffer.from(b));
    this.size += b.length;
    while (this.parts.length > 1 && this.size - this.parts[0].length >= this.max) this.size -= this.parts.shift()!.length;
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.parts);
    return all.subarray(Math.max(0, all.length - this.max));
  }
}
