// Electron main process entry (package.json "main": dist/main/electron-main/app.js).
// Wires the back end, the locked-down window, the app:// protocol, IPC and the
// menu. Launched by `npm start` when an Electron binary is installed; accepts
// `--project DIR` like browser mode.

import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, safeStorage, screen } from 'electron';
import { FileSecretStore } from '../node/secrets/secret-store.js';
import type { EventSink, MoteEventName, MoteEvents } from '../common/api.js';
import { errorMessage } from '../common/backend-dispatch.js';
import { appPaths } from '../node/app-root.js';
import { defaultDataDir, defaultProjectDir, prepareProjectDir, readProjectArg } from '../node/project-setup.js';
import { RENDERER_URL, registerAppScheme, serveRenderer } from './app-protocol.js';
import { DOCS_URL, buildApplicationMenu } from './application-menu.js';
import { BackendHost } from './backend-host.js';
import { handleApiCalls, sendEvent, sendMenuCommand } from './ipc-bridge.js';
import { lockDownRenderers, openExternalSafely } from './security.js';
import { MIN_WINDOW_SIZE, fitToDisplays, loadWindowState, saveWindowState } from './window-state.js';

// getAppPath() is the folder (or app.asar) holding package.json, in development and packaged.
const paths = appPaths(app.getAppPath());
const isDev = !app.isPackaged;
const isMac = process.platform === 'darwin';

let mainWindow: BrowserWindow | null = null;
let host: BackendHost | null = null;

// Privileged schemes must be registered before 'ready'.
registerAppScheme();

// Two instances would drive the same simulated board files at once.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail('Mote Studio could not start', err));
}

async function start(): Promise<void> {
  lockDownRenderers();
  serveRenderer(paths.renderer);

  const projectDir = path.resolve(readProjectArg(process.argv) ?? defaultProjectDir());
  await prepareProjectDir(projectDir, paths.resources);

  const forward: EventSink = <E extends MoteEventName>(event: E, payload: MoteEvents[E]) => {
    sendEvent(mainWindow?.webContents ?? null, event, payload);
    if (event === 'projectChanged') mainWindow?.setTitle(windowTitle());
  };
  // Saved WebREPL passwords are sealed by the OS keychain when it offers one (else a 0600 file).
  const dataDir = defaultDataDir();
  const secrets = new FileSecretStore(dataDir, safeStorage.isEncryptionAvailable() ? safeStorage : null);
  host = new BackendHost({ projectDir, dataDir, forward, secrets });
  handleApiCalls(host);

  app.setAboutPanelOptions({ applicationName: 'Mote Studio', applicationVersion: app.getVersion() });
  buildMenu();
  createWindow();
}

function createWindow(): void {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = fitToDisplays(loadWindowState(stateFile), workAreas);

  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: windowTitle(),
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: isDev,
    },
  });
  mainWindow = win;

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      console.error(`Mote Studio: could not remember the window size: ${errorMessage(err)}`);
    }
  });
  win.on('closed', () => {
    mainWindow = null;
  });
  // The page title would otherwise replace ours.
  win.on('page-title-updated', (event) => event.preventDefault());

  win.loadURL(RENDERER_URL).catch((err: unknown) => fail('The Mote Studio window could not load', err));
}

function buildMenu(): void {
  const menu = buildApplicationMenu({
    isDev,
    isMac,
    sendCommand: (command) => sendMenuCommand(mainWindow?.webContents ?? null, command),
    openFolder: () => void openFolder(),
    showAbout: () => void showAbout(),
    openDocs: () => void openExternalSafely(DOCS_URL).catch((err: unknown) => showError('Could not open the documentation', err)),
  });
  Menu.setApplicationMenu(menu);
}

async function openFolder(): Promise<void> {
  if (!mainWindow || !host) return;
  const choice = await dialog.showOpenDialog(mainWindow, {
    title: 'Open Project Folder',
    defaultPath: host.projectDir,
    properties: ['openDirectory', 'createDirectory'],
  });
  const folder = choice.filePaths[0];
  if (choice.canceled || !folder) return;
  try {
    await prepareProjectDir(folder, paths.resources);
    await host.switchProject(folder);
    mainWindow.setTitle(windowTitle());
  } catch (err) {
    showError(`Could not open ${folder}`, err);
  }
}

async function showAbout(): Promise<void> {
  const options = {
    type: 'info' as const,
    title: 'About Mote Studio',
    message: `Mote Studio ${app.getVersion()}`,
    detail: `A MicroPython IDE with a simulated board.\nElectron ${process.versions.electron}, Node ${process.versions.node}`,
  };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
}

function windowTitle(): string {
  return host ? `${path.basename(host.projectDir)} - Mote Studio` : 'Mote Studio';
}

function showError(title: string, err: unknown): void {
  dialog.showErrorBox(title, errorMessage(err));
}

function fail(title: string, err: unknown): void {
  console.error(`${title}:`, err);
  showError(title, err);
  app.exit(1);
}

// The back end owns a simulator worker (and maybe a serial port): let it shut
// down before the process exits.
let shutdown: Promise<void> | null = null;
let shutDown = false;
app.on('before-quit', (event) => {
  if (shutDown || !host) return;
  event.preventDefault();
  shutdown ??= host
    .dispose()
    .catch((err: unknown) => console.error('Mote Studio: the back end did not shut down cleanly:', err))
    .finally(() => {
      shutDown = true;
      app.quit();
    });
});

app.on('window-all-closed', () => app.quit());
