// The plotter's samples as CSV: a header of series names, one row per sample.
// Missing values are empty cells; names are quoted when they need it.

import type { PlotBuffer } from './plot-buffer';

function cell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function num(v: number): string {
  if (Number.isNaN(v)) return '';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

export function plotCsv(buf: PlotBuffer): string {
  const k = buf.seriesCount;
  const lines = [['sample', ...buf.names].map(cell).join(',')];
  for (let i = 0; i < buf.length; i++) {
    const row = [String(buf.sampleNumber(i))];
    for (let s = 0; s < k; s++) row.push(num(buf.value(i, s)));
    lines.push(row.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
