// Draws the newest samples of a PlotBuffer on a 2D canvas. The cost is bounded
// by the canvas width, not by the sample rate: when there are more samples
// than pixel columns, each column draws the min..max of the samples it covers.

import type { PlotBuffer } from './plot-buffer';

export const SERIES_COLORS = ['#4f9dff', '#f5a524', '#2fbf71', '#e5484d', '#c792ea', '#89ddff', '#ffd98f', '#ff8d90'];

/** How many of the newest samples the chart shows. */
export const DEFAULT_WINDOW = 500;

export interface YRange {
  min: number;
  max: number;
}

/** The span of the finite values among held samples [start, end), padded so a flat line sits mid-chart. */
export function yRangeOf(buf: PlotBuffer, start: number, end: number): YRange | null {
  let min = Infinity;
  let max = -Infinity;
  const k = buf.seriesCount;
  for (let i = start; i < end; i++) {
    for (let s = 0; s < k; s++) {
      const v = buf.value(i, s);
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) return null;
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return { min: min - pad, max: max + pad };
  }
  const pad = (max - min) * 0.06;
  return { min: min - pad, max: max + pad };
}

/** Round tick values for the axis: about `count` of them, on 1/2/5 x 10^n steps. */
export function ticksFor(r: YRange, count = 4): number[] {
  const raw = (r.max - r.min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The finest round step that gives at most count+1 ticks: never a lone tick on a busy axis.
  const span = r.max - r.min;
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count + 1) ?? 10 * mag;
  const ticks: number[] = [];
  // Multiples of step computed one by one (not accumulated) and rounded to the
  // step's precision, so 0.6 stays 0.6 rather than 0.6000000000000001.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let n = Math.ceil(r.min / step); n * step <= r.max; n++) ticks.push(Number((n * step).toFixed(digits)) || 0);
  return ticks;
}

function label(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

export interface ChartSize {
  /** CSS pixels. */
  width: number;
  height: number;
  /** devicePixelRatio: the canvas holds width*dpr x height*dpr pixels. */
  dpr: number;
}

const AXIS_W = 52;
const PAD = 8;

export function drawChart(ctx: CanvasRenderingContext2D, buf: PlotBuffer, size: ChartSize, window = DEFAULT_WINDOW): void {
  const { width, height, dpr } = size;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#121417';
  ctx.fillRect(0, 0, width, height);

  const end = buf.length;
  const start = Math.max(0, end - window);
  const range = yRangeOf(buf, start, end);
  const plotW = width - AXIS_W - PAD;
  const plotH = height - 2 * PAD;
  if (!range || plotW < 10 || plotH < 10) return;

  const y = (v: number) => PAD + plotH - ((v - range.min) / (range.max - range.min)) * plotH;
  ctx.font = '10px ui-monospace, monospace';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 1;
  for (const t of ticksFor(range)) {
    const ty = Math.round(y(t)) + 0.5;
    ctx.strokeStyle = '#2c323b';
    ctx.beginPath();
    ctx.moveTo(AXIS_W, ty);
    ctx.lineTo(width - PAD, ty);
    ctx.stroke();
    ctx.fillStyle = '#8b94a3';
    ctx.fillText(label(t), AXIS_W - 6, ty);
  }

  // x: the window's slots spread over the plot width; the line grows from the
  // left edge until the window is full, then scrolls with the newest at the right.
  const slots = Math.max(window, 2) - 1;
  const x0 = AXIS_W;
  const perPixel = (end - start) / Math.max(1, ((end - 1 - start) / slots) * plotW);
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  for (let s = 0; s < buf.seriesCount; s++) {
    ctx.strokeStyle = SERIES_COLORS[s % SERIES_COLORS.length];
    ctx.beginPath();
    if (perPixel <= 1) drawLine(ctx, buf, s, start, end, (i) => x0 + ((i - start) / slots) * plotW, y);
    else drawColumns(ctx, buf, s, start, end, x0, plotW / slots, y);
    ctx.stroke();
  }
}

function drawLine(
  ctx: CanvasRenderingContext2D,
  buf: PlotBuffer,
  s: number,
  start: number,
  end: number,
  x: (i: number) => number,
  y: (v: number) => number,
): void {
  let pen = false;
  for (let i = start; i < end; i++) {
    const v = buf.value(i, s);
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(x(i), y(v));
    else ctx.moveTo(x(i), y(v));
    pen = true;
  }
}

// More samples than columns: one vertical stroke per column from its min to its max.
function drawColumns(
  ctx: CanvasRenderingContext2D,
  buf: PlotBuffer,
  s: number,
  start: number,
  end: number,
  x0: number,
  dx: number,
  y: (v: number) => number,
): void {
  let col = -1;
  let lo = Infinity;
  let hi = -Infinity;
  let pen = false;
  const flush = () => {
    if (col < 0 || lo > hi) return;
    const cx = x0 + col;
    if (pen) ctx.lineTo(cx, y(lo));
    else ctx.moveTo(cx, y(lo));
    if (hi !== lo) ctx.lineTo(cx, y(hi));
    pen = true;
  };
  for (let i = start; i < end; i++) {
    const c = Math.floor((i - start) * dx);
    if (c !== col) {
      flush();
      col = c;
      lo = Infinity;
      hi = -Infinity;
    }
    const v = buf.value(i, s);
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  flush();
}
