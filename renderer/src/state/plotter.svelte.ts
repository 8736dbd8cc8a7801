// The plotter's data: every terminal byte goes through the line decoder
// (plot-parser.ts) into a ring buffer as it arrives, and the chart is told to
// redraw at most once per animation frame, so thousands of lines a second
// never queue up work for the UI.

import type { MoteApi } from '../../../main/common/api';
import { PlotBuffer } from '../plotter/plot-buffer';
import { plotCsv } from '../plotter/plot-csv';
import { PlotLineDecoder } from '../plotter/plot-parser';
import type { PlotReadout } from '../test-hooks';

/** Samples kept for the chart and the CSV export. */
const CAPACITY = 20_000;

export class PlotterState {
  readonly buffer = new PlotBuffer(CAPACITY);
  #paused = $state(false);
  /** Bumped once per frame in which samples arrived: what the chart redraws on. */
  #version = $state(0);
  #frame = 0;
  readonly #decoder = new PlotLineDecoder((s) => {
    if (this.#paused) return;
    this.buffer.push(s);
    this.#scheduleRedraw();
  });

  get paused(): boolean {
    return this.#paused;
  }

  get version(): number {
    return this.#version;
  }

  /** Samples since the last clear; follows the redraws, so reading it costs nothing per line. */
  get received(): number {
    void this.#version;
    return this.buffer.received;
  }

  /** Follows the board's output; returns the unsubscribe function. */
  connect(api: MoteApi): () => void {
    const off = api.on('terminalData', (bytes) => this.#decoder.push(bytes));
    return () => {
      off();
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
    };
  }

  /** Paused, new lines are not recorded: the chart holds still to be read. */
  setPaused(paused: boolean): void {
    this.#paused = paused;
  }

  clear(): void {
    this.buffer.clear();
    this.#decoder.reset();
    this.#version++;
  }

  csv(): string {
    return plotCsv(this.buffer);
  }

  readout(): PlotReadout {
    return { names: this.buffer.names, received: this.buffer.received, latest: this.buffer.latest(), paused: this.#paused };
  }

  #scheduleRedraw(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#version++;
    });
  }
}
