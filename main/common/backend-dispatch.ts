// The single place where a call from outside (Electron IPC or browser-mode
// WebSocket) reaches the back end: it is checked against the API contract
// first, and anything that fails becomes a message, never a thrown object
// crossing the boundary.

import { validateCall, type MoteBackend, type MoteMethod } from './api.js';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: string };

export async function dispatchCall(backend: MoteBackend, method: unknown, args: unknown): Promise<CallOutcome> {
  const problem = validateCall(method, args);
  if (problem !== null) return { ok: false, error: problem };
  // validateCall proved `method` is a MoteMethod and `args` an array of the right shape.
  const name = method as MoteMethod;
  const fn: unknown = backend[name];
  if (typeof fn !== 'function') return { ok: false, error: `the back end does not implement ${name}` };
  try {
    const value: unknown = await (fn as (...a: unknown[]) => unknown).apply(backend, args as unknown[]);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : 'unknown error';
}
