// Which board the status refers to, and how a sync plan and its progress read,
// as plain functions so they are tested without a DOM.

import type { BoardStatus, SyncPlanInfo, TransferProgress } from '../../../main/common/api';
import { formatSize } from './paths';

export const SIM_TARGET_ID = 'sim';

/** The target id of the connected board: the back end names serial boards by port path. */
export function targetIdOf(status: BoardStatus | null): string {
  if (!status || status.connection === 'Simulator') return SIM_TARGET_ID;
  // A WebREPL board is named by its ws:// address.
  if (/^wss?:\/\//.test(status.connection)) return `webrepl:${status.connection}`;
  return `serial:${status.connection}`;
}

/** "2 to upload (3.1 KB), 5 unchanged, 1 to delete". */
export function describePlan(plan: SyncPlanInfo, deleteRemoved: boolean): string {
  const bytes = plan.upload.reduce((n, u) => n + u.size, 0);
  const parts = [`${plan.upload.length} to upload${plan.upload.length ? ` (${formatSize(bytes)})` : ''}`, `${plan.unchanged.length} unchanged`];
  if (plan.delete.length) parts.push(deleteRemoved ? `${plan.delete.length} to delete` : `${plan.delete.length} only on the board (kept)`);
  return parts.join(', ');
}

/** "main.py · 12.0 KB of 40.0 KB · 8.2 KB/s". */
export function describeProgress(p: TransferProgress): string {
  return `${p.label} · ${formatSize(p.done)} of ${formatSize(p.total)} · ${formatSize(Math.round(p.bytesPerSecond))}/s`;
}

/** 0..100 for a progress bar. */
export function percentOf(p: TransferProgress | null): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(100, Math.round((100 * p.done) / p.total));
}
