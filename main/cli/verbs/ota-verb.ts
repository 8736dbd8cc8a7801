// `mote ota provision`: puts the fleet OTA agent on the target board (USB,
// --webrepl, or the simulated board) with its device config and the fleet's
// public key, through the same verified upload every other verb uses.
//
//   mote ota provision --id ID --broker mqtt://HOST[:PORT] [--user U] [--password-env VAR]
//                      [--broker mqtts://HOST[:8883] --ca CA.pem] [--key PATH] [--prefix P] [--tags a,b] [--wifi SSID [--wifi-password-env VAR]]
//                      [--block N] [--window N] [--auth ed25519|hmac]
//
// Passwords come from environment variables only, so they never sit in shell
// history or a process list; nothing here prints them. With --auth hmac the
// board gets a key of its own (kept on this computer in <data dir>/fleet/device-keys/,
// 0600), which the IDE's fleet service uses for that board's releases.
// An mqtts:// broker needs --ca: the CA certificate (PEM or DER) that signed
// the broker's; the board gets it as DER in /ota/ca.der and trusts it alone.

import * as path from 'node:path';
import { BoardFs } from '../../../runtime/common/board-fs.js';
import { readCaCertificate, readPublicKey, type DeviceAuth } from '../../../ota/provision/device-config.js';
import { DeviceKeys } from '../../../ota/server/registry/device-keys.js';
import { provisionBoard } from '../../../ota/provision/provision-board.js';
import { parseFlags, type CliContext, type Verb } from '../cli-context.js';
import { UsageError } from '../cli-io.js';

const FLAGS = {
  '--id': true,
  '--broker': true,
  '--user': true,
  '--password-env': true,
  '--key': true,
  '--prefix': true,
  '--tags': true,
  '--wifi': true,
  '--wifi-password-env': true,
  '--block': true,
  '--window': true,
  '--auth': true,
  '--ca': true,
};

export const ota: Verb = {
  args: 'provision --id ID --broker URL [--ca CA.pem] [--user U] [--password-env VAR] [--key PATH] [--auth ed25519|hmac]',
  summary: 'put the fleet OTA agent, its device config and the fleet key on the board',
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub !== 'provision') throw new UsageError(`mote ota: ${sub ? `unknown command '${sub}'` : 'what to do?'}: provision`);
    return provision(ctx, rest, process.env);
  },
};

async function provision(ctx: CliContext, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { flags, positional } = parseFlags('ota provision', args, FLAGS);
  if (positional.length) throw new UsageError(`mote ota provision: unexpected argument ${positional[0]}`);
  const str = (k: string) => {
    const v = flags.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const id = str('--id');
  const broker = str('--broker');
  if (!id) throw new UsageError('mote ota provision: --id ID is required (the device id and MQTT client id)');
  if (!broker) throw new UsageError('mote ota provision: --broker mqtt://HOST[:PORT] is required');
  const secret = (flag: string) => {
    const name = str(flag);
    if (name === undefined) return undefined;
    const v = env[name];
    if (v === undefined || v === '') throw new UsageError(`mote ota provision: ${flag} ${name}: that environment variable is not set`);
    return v;
  };
  const int = (flag: string) => {
    const v = str(flag);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`mote ota provision: ${flag} wants a whole number, not ${v}`);
    return Number(v);
  };
  const password = secret('--password-env');
  const user = str('--user');
  if (password !== undefined && user === undefined) throw new UsageError('mote ota provision: --password-env goes with --user');
  // Default: the fleet key the IDE made (only its public half goes to the board).
  const keyFile = path.resolve(str('--key') ?? path.join(ctx.target.dataDir, 'fleet', 'keys', 'ota-ed25519.pem'));
  let publicKey: Uint8Array;
  try {
    publicKey = readPublicKey(keyFile);
  } catch (e) {
    throw new UsageError(`mote ota provision: ${(e as Error).message}${str('--key') ? '' : ' (create a release in the IDE first, or pass --key)'}`);
  }
  const auth = str('--auth') ?? 'ed25519';
  if (auth !== 'ed25519' && auth !== 'hmac') throw new UsageError(`mote ota provision: --auth is ed25519 (the fleet signature, default) or hmac (a key of the board's own, fast on an ESP8266), not ${auth}`);
  const caFile = str('--ca');
  let ca: Uint8Array | undefined;
  try {
    ca = caFile === undefined ? undefined : readCaCertificate(path.resolve(caFile));
  } catch (e) {
    throw new UsageError(`mote ota provision: ${(e as Error).message}`);
  }
  const ssid = str('--wifi');
  if (ssid === undefined && flags.has('--wifi-password-env')) throw new UsageError('mote ota provision: --wifi-password-env goes with --wifi');
  const settings = {
    id, broker, user, password, publicKey, ca,
    auth: auth as DeviceAuth,
    prefix: str('--prefix'),
    tags: str('--tags')?.split(',').filter(Boolean),
    block: int('--block'),
    window: int('--window'),
    wifi: ssid === undefined ? undefined : { ssid, password: secret('--wifi-password-env') },
  };

  const abort = new AbortController();
  const off = ctx.io.onInterrupt(() => abort.abort(new Error('cancelled')));
  try {
    return await ctx.withBoard(async ({ session }) => {
      const r = await provisionBoard(new BoardFs(session), settings, {
        signal: abort.signal,
        deviceKeys: DeviceKeys.inFleetDir(path.join(ctx.target.dataDir, 'fleet')),
        onProgress: (p) => ctx.io.stderr.write(`[${p.file}/${p.files}] ${p.path}\n`),
      });
      if (r.movedApp) ctx.io.stdout.write('the board\'s main.py is now the app in slot a (/app/a/main.py)\n');
      ctx.io.stdout.write(`provisioned ${id}: ${r.written.length} files written; reset the board to start the agent\n`);
      return 0;
    });
  } finally {
    off();
  }
}
