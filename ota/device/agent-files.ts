// The agent's files as they go on a board (ota/device/README.md): what
// provisioning writes and what the simulated test boards are laid out with.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { findAppRoot } from '../../runtime/node/app-root.js';

// The .py files stay in ota/device of the app folder: compiled code runs from
// dist/ota/device, where tsc copies no Python, so look them up from the root.
const here = path.join(findAppRoot(import.meta.url), 'ota', 'device');

/** Board path → host path of every agent file. */
export function agentFiles(): Map<string, string> {
  const out = new Map<string, string>([
    ['boot.py', path.join(here, 'boot.py')],
    ['main.py', path.join(here, 'main.py')],
  ]);
  for (const f of fs.readdirSync(path.join(here, 'mote_ota')).filter((n) => n.endsWith('.py')).sort())
    out.set(`lib/mote_ota/${f}`, path.join(here, 'mote_ota', f));
  return out;
}

/** Where a board with `tls` keeps the broker's CA certificate (DER): apart from the config, so it is read only while connecting. */
export const AGENT_CA_FILE = 'ota/ca.der';

/** /ota/config.json on a board. */
export interface AgentConfig {
  id: string;
  host: string;
  port: number;
  prefix: string;
  /** The fleet's raw Ed25519 public key, hex. */
  key: string;
  /** "hmac": releases are checked with this device's own key (`hmac`, hex) instead of `key`. */
  auth?: 'hmac';
  hmac?: string;
  /** MQTT over TLS: the broker's certificate must be signed by the CA in /ota/ca.der (AGENT_CA_FILE). */
  tls?: boolean;
  user?: string;
  password?: string;
  tags?: string[];
  block?: number;
  window?: number;
  timeout_ms?: number;
  /** How long a looping app on trial runs (calling poll()) before healthy() decides; default 10 s. */
  confirm_ms?: number;
  /** Wi-Fi the agent joins first; left out where boot.py or the firmware does it. */
  ssid?: string;
  wifi_password?: string;
  /** Tests only: publish each step on P/dev/<id>/trace ... */
  trace?: boolean;
  /** ... and stop at this one, so the test can cut the power there. */
  halt?: string;
}
