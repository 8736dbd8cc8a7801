// The last N samples of up to MAX_SERIES series, in one preallocated block:
// appending never allocates, so a program printing thousands of lines a second
// leaves nothing for the garbage collector.

import { MAX_SERIES, type PlotSample } from './plot-parser';

export class PlotBuffer {
  readonly capacity: number;
  private readonly data: Float64Array;
  /** Sample number of each slot (counts from 0 since the last clear). */
  private readonly seq: Float64Array;
  private head = 0;
  private count = 0;
  private total = 0;
  private series = 0;
  private labels: string[] = [];

  constructor(capacity = 10_000) {
    this.capacity = capacity;
    this.data = new Float64Array(capacity * MAX_SERIES);
    this.seq = new Float64Array(capacity);
  }

  /** Samples held now (at most capacity). */
  get length(): number {
    return this.count;
  }
  /** Samples received since the last clear, including those that fell out. */
  get received(): number {
    return this.total;
  }
  /** Widest sample seen: how many series the chart draws. */
  get seriesCount(): number {
    return this.series;
  }
  /** Name of each series: from `name:value` lines, else "value 1", "value 2"... */
  get names(): string[] {
    return Array.from({ length: this.series }, (_, i) => this.labels[i] ?? `value ${i + 1}`);
  }

  push(s: PlotSample): void {
    const n = Math.min(s.values.length, MAX_SERIES);
    const base = this.head * MAX_SERIES;
    for (let i = 0; i < MAX_SERIES; i++) this.data[base + i] = i < n ? s.values[i] : NaN;
    this.seq[this.head] = this.total++;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    if (n > this.series) this.series = n;
    if (s.names) for (let i = 0; i < n; i++) this.labels[i] = s.names[i];
  }

  /** Value of series `k` in the i-th held sample, oldest first (NaN when that line had fewer values). */
  value(i: number, k: number): number {
    return this.data[this.slot(i) * MAX_SERIES + k];
  }

  /** Sample number of the i-th held sample, oldest first. */
  sampleNumber(i: number): number {
    return this.seq[this.slot(i)];
  }

  /** The newest value of each series (NaN where the last line lacked it). */
  latest(): number[] {
    if (this.count === 0) return [];
    return Array.from({ length: this.series }, (_, k) => this.value(this.count - 1, k));
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.total = 0;
    this.series = 0;
    this.labels = [];
  }

  private slot(i: number): number {
    return (this.head - this.count + i + this.capacity) % this.capacity;
  }
}
