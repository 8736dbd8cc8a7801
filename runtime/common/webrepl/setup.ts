// Setting up a USB-connected board for WebREPL: webrepl_cfg.py with the
// password, and boot-time code that joins Wi-Fi and starts WebREPL, merged
// into the board's boot.py between markers (so a second run replaces the
// block, and the user's own boot code stays as it was). Every user string
// reaches Python through pyStr().

import { BoardFsError } from '../board-errors.js';
import type { BoardFs } from '../board-fs.js';
import type { BoardSession } from '../board-session.js';
import { pyStr } from '../py-literal.js';

export interface WifiSetup {
  ssid: string;
  wifiPassword: string;
  webreplPassword: string;
}

export const BOOT_BEGIN = '# >>> Mote Studio: Wi-Fi and WebREPL (this block is rewritten by the set-up wizard)';
export const BOOT_END = '# <<< Mote Studio';

/** Why these settings cannot work, or null. */
export function setupProblem(s: WifiSetup): string | null {
  const ssidBytes = Buffer.byteLength(s.ssid);
  if (ssidBytes < 1 || ssidBytes > 32) return 'the Wi-Fi name (SSID) has 1 to 32 bytes';
  if (s.wifiPassword && (s.wifiPassword.length < 8 || s.wifiPassword.length > 63)) return 'a WPA Wi-Fi password has 8 to 63 characters (or none for an open network)';
  if (s.webreplPassword.length < 4 || s.webreplPassword.length > 9) return 'the WebREPL password has 4 to 9 characters';
  if (/[\r\n\0]/.test(s.webreplPassword)) return 'the WebREPL password cannot contain line breaks';
  return null;
}

/** The file the board's webrepl module reads its password from. */
export function webreplCfgSource(password: string): string {
  return `PASS = ${pyStr(password)}\n`;
}

function bootBlock(s: WifiSetup): string {
  return `${BOOT_BEGIN}
def _mote_wifi():
    import network, time
    w = network.WLAN(network.STA_IF)
    w.active(True)
    if not w.isconnected():
        w.connect(${pyStr(s.ssid)}, ${pyStr(s.wifiPassword)})
        for _ in range(100):
            if w.isconnected():
                break
            time.sleep_ms(100)
    print('Wi-Fi:', w.ifconfig()[0] if w.isconnected() else 'not connected')
try:
    _mote_wifi()
    import webrepl
    webrepl.start()
except Exception as e:
    print('Wi-Fi/WebREPL set-up failed:', e)
del _mote_wifi
${BOOT_END}
`;
}

/** boot.py with the block added, or replaced where an earlier run left it. */
export function mergeBootPy(existing: string, s: WifiSetup): string {
  const block = bootBlock(s);
  const begin = existing.indexOf(BOOT_BEGIN);
  const end = begin >= 0 ? existing.indexOf(BOOT_END, begin) : -1;
  if (begin >= 0 && end >= 0) {
    const after = existing.indexOf('\n', end);
    return existing.slice(0, begin) + block + (after >= 0 ? existing.slice(after + 1) : '');
  }
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${sep}${block}`;
}

export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

/** A line diff (longest common subsequence), small files only: boot.py. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) out.push({ op: ' ', text: a[i++] }), j++;
    else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ op: '+', text: b[j++] });
    else out.push({ op: '-', text: a[i++] });
  }
  return out;
}

export interface SetupPreview {
  bootBefore: string;
  bootAfter: string;
  diff: DiffLine[];
}

/** What the wizard would write; changes nothing. */
export async function previewSetup(fs: BoardFs, s: WifiSetup): Promise<SetupPreview> {
  let bootBefore = '';
  try {
    bootBefore = (await fs.get('/boot.py')).toString('utf8');
  } catch (e) {
    if (!(e instanceof BoardFsError && e.code === 'ENOENT')) throw e;
  }
  const bootAfter = mergeBootPy(bootBefore, s);
  return { bootBefore, bootAfter, diff: lineDiff(bootBefore, bootAfter) };
}

export type SetupStep = 'write-files' | 'join-wifi' | 'reboot';

/**
 * Writes the files, joins Wi-Fi now to learn the board's address, then
 * resets the board so boot.py starts WebREPL. Resolves with the address to
 * connect to; rejects with a clear error if the board cannot join.
 */
export async function applySetup(fs: BoardFs, session: BoardSession, s: WifiSetup, onStep?: (step: SetupStep) => void): Promise<{ ip: string; url: string }> {
  const problem = setupProblem(s);
  if (problem) throw new Error(problem);
  const { bootAfter } = await previewSetup(fs, s);
  onStep?.('write-files');
  await fs.put('/webrepl_cfg.py', Buffer.from(webreplCfgSource(s.webreplPassword)));
  await fs.put('/boot.py', Buffer.from(bootAfter));
  onStep?.('join-wifi');
  const out = await session.exclusive((r) =>
    r.execChecked(
      `import network, time
w = network.WLAN(network.STA_IF)
w.active(True)
if not w.isconnected():
    w.connect(${pyStr(s.ssid)}, ${pyStr(s.wifiPassword)})
t = time.ticks_ms()
while not w.isconnected() and time.ticks_diff(time.ticks_ms(), t) < 15000:
    time.sleep_ms(100)
print(w.ifconfig()[0] if w.isconnected() else '-')
del w, t
`,
      { timeoutMs: 20000 },
    ),
  );
  const ip = out.toString('latin1').trim();
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    throw new Error(`the board did not join "${s.ssid}" within 15 s: check the network name and password (the files are written; run the wizard again to change them)`);
  }
  onStep?.('reboot');
  await session.exclusive((r) => r.submit('import machine\nmachine.reset()'));
  return { ip, url: `ws://${ip}:8266/` };
}
