// `npm start`: opens Mote Studio in Electron when its binary is installed,
// otherwise serves the same IDE to a browser on 127.0.0.1 and prints the URL.
//
//   node dist/main/node/start.js [--project DIR] [--port N] [--no-electron]

import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { errorMessage } from '../common/backend-dispatch.js';
import { appPaths, type AppPaths } from './app-root.js';
import { launchBrowserMode } from './browser-mode.js';
import { defaultDataDir, defaultProjectDir } from './project-setup.js';

export { launchBrowserMode, type BrowserModeHandle, type BrowserModeOptions } from './browser-mode.js';

const USAGE = `Usage: npm start -- [--project DIR] [--port N] [--no-electron]

  --project DIR   project folder to open (default: ${defaultProjectDir()})
  --port N        browser mode: port on 127.0.0.1 (default: a free port)
  --no-electron   serve the IDE to a browser even if Electron is installed`;

interface StartOptions {
  projectDir: string;
  /** True when the user named the folder: it must then exist. */
  projectGiven: boolean;
  port: number;
  noElectron: boolean;
}

function parseStartArgs(argv: string[]): StartOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: 'string' },
      port: { type: 'string' },
      'no-electron': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }
  return {
    projectDir: path.resolve(values.project ?? defaultProjectDir()),
    projectGiven: values.project !== undefined,
    port,
    noElectron: values['no-electron'] ?? false,
  };
}

/** The Electron binary, when the optional `electron` package downloaded one. */
function findElectronBinary(): string | null {
  try {
    // The package's main export is the binary's path; it throws when the download failed.
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function runElectron(binary: string, paths: AppPaths, options: StartOptions): void {
  for (const [what, file] of [
    ['Electron main process', paths.electronMain],
    ['preload', paths.preload],
    ['renderer', path.join(paths.renderer, 'index.html')],
  ] as const) {
    if (!existsSync(file)) throw new Error(`the ${what} is not built (no ${file}): run the build first`);
  }
  const env = { ...process.env };
  // Set by some tools; it would make the binary behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [paths.root, '--project', options.projectDir], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (err) => {
    console.error(`Mote Studio: could not start Electron: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function runBrowserMode(options: StartOptions): Promise<void> {
  const handle = await launchBrowserMode({
    projectDir: options.projectDir,
    dataDir: defaultDataDir(),
    port: options.port,
  });
  console.log(`Mote Studio is running at ${handle.url}`);
  console.log('Press Ctrl+C to quit');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl+C: the user does not want to wait for a clean shutdown.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`Mote Studio: shutdown failed: ${errorMessage(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const options = parseStartArgs(argv);
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  if (options.projectGiven && !existsSync(options.projectDir)) {
    throw new Error(`the project folder ${options.projectDir} does not exist`);
  }
  const binary = options.noElectron ? null : findElectronBinary();
  if (binary) runElectron(binary, appPaths(), options);
  else await runBrowserMode(options);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    console.error(`Mote Studio could not start: ${errorMessage(err)}`);
    process.exit(1);
  });
}
