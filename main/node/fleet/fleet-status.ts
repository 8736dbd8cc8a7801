// Turns the fleet service's registry into what the dashboard shows: devices
// with their state in the newest rollout that targets them, rollouts with
// per-wave counts, the audit log tail.

import type { FleetDeviceInfo, FleetRolloutInfo, FleetStatus, FleetWaveInfo } from '../../common/fleet-types.js';
import { FAILURE_STATES, SUCCESS_STATES } from '../../../ota/common/messages.js';
import type { FleetService } from '../../../ota/server/fleet-service.js';
import type { DeviceRecord } from '../../../ota/server/registry/device-registry.js';
import type { RolloutRecord } from '../../../ota/server/registry/rollout-store.js';

/** Rollouts and audit entries the dashboard lists: enough to see what happened lately. */
const ROLLOUTS_SHOWN = 10;
const AUDIT_SHOWN = 100;

const SUCCESS: ReadonlySet<string> = new Set(SUCCESS_STATES);
const FAILURE: ReadonlySet<string> = new Set(FAILURE_STATES);

export function fleetStatus(s: FleetService, simulated: FleetStatus['simulated']): FleetStatus {
  const rollouts = s.rollouts.list().slice(0, ROLLOUTS_SHOWN);
  // Newest first, so the first rollout that lists a device gives its current status.
  const latest = new Map<string, { state: string; progress: number; why: string | null }>();
  const members = rollouts.map((r) => s.rollouts.devices(r.id));
  for (const list of members) for (const d of list) if (!latest.has(d.deviceId)) latest.set(d.deviceId, d);
  const known = s.devices.list();
  const offline = offlineIds(known);
  const devices = known.map((d): FleetDeviceInfo => {
    const r = latest.get(d.id);
    const deviceError = d.lastState && FAILURE.has(d.lastState) ? d.lastWhy : null;
    return {
      id: d.id, online: d.online, app: d.app, seq: d.seq, slot: d.slot, port: d.port, mem: d.mem, flash: d.flash,
      lastSeen: d.lastSeen, tags: d.tags,
      status: r?.state ?? null,
      progress: r?.progress ?? 0,
      error: (r && FAILURE.has(r.state) ? r.why : null) ?? deviceError,
    };
  });
  const url = new URL(s.endpoint.url);
  return {
    // Host and port only: the endpoint may carry credentials.
    broker: { url: `${url.protocol}//${url.host}`, lastError: s.lastBrokerError },
    devices,
    groups: [...new Set(devices.flatMap((d) => d.tags))].sort(),
    releases: s.releases.list().map((r) => ({
      seq: r.seq, app: r.manifest.app, files: r.manifest.files.length,
      bytes: r.manifest.files.reduce((n, f) => n + f.size, 0), source: r.source, createdAt: r.createdAt,
    })).sort((a, b) => b.seq - a.seq),
    rollouts: rollouts.map((r, i) => rolloutInfo(s, r, offline, members[i])),
    audit: s.audit.recent(AUDIT_SHOWN).map((a) => ({ id: a.id, ts: a.ts, action: a.action, detail: auditText(a.detail) })),
    simulated,
  };
}

/**
 * `offline`: ids of the devices known to be offline (from one registry query, not one per device);
 * `members`: the rollout's devices, when the caller has read them already.
 */
export function rolloutInfo(
  s: FleetService, r: RolloutRecord, offline = offlineIds(s.devices.list()), members = s.rollouts.devices(r.id),
): FleetRolloutInfo {
  const sizes = s.rollouts.waves(r.id);
  const counts: Record<string, number> = {};
  const offlineByWave = new Map<number, number>();
  for (const d of members) {
    const done = SUCCESS.has(d.state) || FAILURE.has(d.state) || d.state === 'canceled';
    if (!done && offline.has(d.deviceId)) offlineByWave.set(d.wave, (offlineByWave.get(d.wave) ?? 0) + 1);
  }
  const waves = s.rollouts.counts(r.id).map((w, i): FleetWaveInfo => {
    let succeeded = 0, failed = 0, pending = 0, active = 0;
    for (const [state, n] of Object.entries(w.byState)) {
      counts[state] = (counts[state] ?? 0) + n;
      if (SUCCESS.has(state)) succeeded += n;
      else if (FAILURE.has(state)) failed += n;
      else if (state === 'pending') pending += n;
      else if (state !== 'canceled') active += n;
    }
    return {
      wave: w.wave, size: w.size, byState: w.byState, succeeded, failed, active, pending, offline: offlineByWave.get(w.wave) ?? 0,
      started: sizes[i]?.startedAt != null, finished: sizes[i]?.finishedAt != null,
    };
  });
  return { id: r.id, seq: r.seq, group: r.group, state: r.state, wave: r.wave, reason: r.reason, createdAt: r.createdAt, waves, counts };
}

// Built once per status: the dashboard refreshes every 250 ms while reports stream in.
function offlineIds(devices: DeviceRecord[]): Set<string> {
  return new Set(devices.filter((d) => !d.online).map((d) => d.id));
}

function auditText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}
