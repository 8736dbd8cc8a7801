// Choosing the fleet's broker in Chromium, on the real back end: the status
// line names the embedded broker the back end started, the Broker dialog
// shows the back end's reason for a bad URL, and a real mosquitto with TLS
// and a password, once tested and saved, becomes the fleet's broker.
import * as net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mosquitto, mosquittoAvailable } from '../ota/testing/mosquitto.js';
import { openFleetIde, type FleetIde } from './fleet-ide.js';
import { artifact } from './artifacts.js';

const PASSWORD = 'e2e-broker-Pass-4410';

let ide: FleetIde;
let page: Page;
let mosq: Mosquitto;
let embeddedPort: number;

beforeAll(async () => {
  mosq = await Mosquitto.start({ users: { fleet: PASSWORD }, tls: true });
  ide = await openFleetIde({ name: 'fleet-broker', viewport: { width: 1280, height: 860 } });
  page = ide.page;
  embeddedPort = ide.brokerPort;
}, 30_000);

afterAll(async () => {
  await ide?.close();
  await mosq?.close();
});

const dialog = () => page.getByTestId('broker-dialog');
const statusLine = () => page.getByTestId('fleet-broker').textContent();

describe.runIf(mosquittoAvailable())('the Broker dialog, in Chromium', () => {
  it('shows the embedded broker the back end started, on its saved port', async () => {
    await page.getByTestId('fleet-toggle').click();
    await expect.poll(statusLine, { timeout: 15000 }).toBe(`Embedded broker on 0.0.0.0:${embeddedPort}`);
    await page.getByTestId('fleet-broker-settings').click();
    await dialog().waitFor({ timeout: 5000 });
    expect(await page.getByTestId('broker-kind-embedded').isChecked()).toBe(true);
    expect(await page.getByTestId('broker-host').inputValue()).toBe('0.0.0.0');
    expect(await page.getByTestId('broker-port').inputValue()).toBe(String(embeddedPort));
    await dialog().screenshot({ path: artifact('fleet-broker-embedded.png') });
  });

  it('says what is wrong with a bad URL, and saving it changes nothing', async () => {
    await page.getByTestId('broker-kind-external').check();
    await page.getByTestId('broker-url').fill('http://127.0.0.1:1883');
    await page.getByTestId('broker-test').click();
    await expect.poll(() => page.getByTestId('broker-error').textContent(), { timeout: 10000 }).toBe(
      'broker URL scheme http: unsupported: use mqtt://, mqtts://, ws:// or wss://',
    );
    await page.getByTestId('broker-save').click();
    await expect.poll(() => page.getByTestId('broker-error').textContent(), { timeout: 10000 }).toMatch(/^Not saved: broker URL scheme http: unsupported/);
    expect(await statusLine()).toBe(`Embedded broker on 0.0.0.0:${embeddedPort}`);
  });

  it('tests and saves the TLS broker with a password: the status line names it', async () => {
    await page.getByTestId('broker-url').fill(mosq.tlsUrl);
    await page.getByTestId('broker-user').fill('fleet');
    await page.getByTestId('broker-password').fill(PASSWORD);
    // TLS fields appear for an mqtts:// URL.
    await page.getByTestId('broker-ca').fill(mosq.caFile);
    await page.getByTestId('broker-test').click();
    await expect.poll(() => page.getByTestId('broker-ok').textContent(), { timeout: 15000 }).toBe(`Connected to mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
    await dialog().screenshot({ path: artifact('fleet-broker-external.png') });
    await page.getByTestId('broker-self-signed').check();
    expect(await page.getByTestId('broker-self-signed-warning').textContent()).toMatch(/anyone between you and the broker could pose as it/);
    // The test result was for other settings.
    expect(await page.getByTestId('broker-ok').count()).toBe(0);
    await page.getByTestId('broker-self-signed').uncheck();

    await page.getByTestId('broker-save').click();
    await dialog().waitFor({ state: 'detached', timeout: 20000 });
    await expect.poll(statusLine, { timeout: 15000 }).toBe(`mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
    expect(await page.getByTestId('fleet-broker').getAttribute('title')).toBe(`The fleet service is connected to ${mosq.tlsUrl}`);
    expect(await page.getByTestId('fleet-create-release').isVisible()).toBe(true);
    await page.screenshot({ path: artifact('fleet-broker-status.png') });
  });

  it('reopens with the saved settings and only a mark that a password is saved', async () => {
    await page.getByTestId('fleet-broker-settings').click();
    await dialog().waitFor({ timeout: 5000 });
    expect(await page.getByTestId('broker-url').inputValue()).toBe(mosq.tlsUrl);
    expect(await page.getByTestId('broker-password').inputValue()).toBe('');
    expect(await page.getByTestId('broker-password').getAttribute('placeholder')).toBe('saved (type to replace)');
    expect(await page.content()).not.toContain(PASSWORD);
  });

  it('names a taken port and keeps the broker in use', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '0.0.0.0', () => r()));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await page.getByTestId('broker-kind-embedded').check();
      await page.getByTestId('broker-port').fill(String(port));
      await page.getByTestId('broker-save').click();
      await expect.poll(() => page.getByTestId('broker-error').textContent(), { timeout: 15000 }).toBe(
        `Not saved: port ${port} on 0.0.0.0 is already in use (another MQTT broker, or another copy of the app?): change the port or address with Broker… in the Fleet view; still using mqtts://127.0.0.1:${mosq.tlsPort} as fleet`,
      );
      await dialog().screenshot({ path: artifact('fleet-broker-port-taken.png') });
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
    await page.getByTestId('broker-cancel').click();
    await dialog().waitFor({ state: 'detached', timeout: 5000 });
    await expect.poll(statusLine, { timeout: 15000 }).toBe(`mqtts://127.0.0.1:${mosq.tlsPort} as fleet`);
    expect(await page.getByTestId('fleet-create-release').isVisible()).toBe(true);
  });
});
