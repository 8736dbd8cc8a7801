// Official MicroPython images (micropython.org/download), per board: facts
// only. Download names follow <BOARD>-<yyyymmdd>-v<version>.<ext> under
// https://micropython.org/resources/firmware/.

export interface CatalogueBoard {
  /** micropython.org's board name. */
  id: string;
  title: string;
  /** esptool chip name, or the rp2 chip. */
  chip: string;
  kind: 'esp' | 'uf2';
}

export interface CatalogueRelease {
  version: string;
  /** The build date in the file name. */
  date: string;
}

export const FIRMWARE_BASE_URL = 'https://micropython.org/resources/firmware/';

export const CATALOGUE_BOARDS: readonly CatalogueBoard[] = [
  { id: 'ESP32_GENERIC', title: 'ESP32 (generic, e.g. DevKitC)', chip: 'ESP32', kind: 'esp' },
  { id: 'ESP32_GENERIC_S2', title: 'ESP32-S2 (generic)', chip: 'ESP32-S2', kind: 'esp' },
  { id: 'ESP32_GENERIC_S3', title: 'ESP32-S3 (generic)', chip: 'ESP32-S3', kind: 'esp' },
  { id: 'ESP32_GENERIC_C3', title: 'ESP32-C3 (generic)', chip: 'ESP32-C3', kind: 'esp' },
  { id: 'ESP32_GENERIC_C6', title: 'ESP32-C6 (generic)', chip: 'ESP32-C6', kind: 'esp' },
  { id: 'ESP8266_GENERIC', title: 'ESP8266 (generic, 2 MiB+ flash)', chip: 'ESP8266', kind: 'esp' },
  { id: 'RPI_PICO', title: 'Raspberry Pi Pico', chip: 'RP2040', kind: 'uf2' },
  { id: 'RPI_PICO_W', title: 'Raspberry Pi Pico W', chip: 'RP2040', kind: 'uf2' },
  { id: 'RPI_PICO2', title: 'Raspberry Pi Pico 2', chip: 'RP2350', kind: 'uf2' },
  { id: 'RPI_PICO2_W', title: 'Raspberry Pi Pico 2 W', chip: 'RP2350', kind: 'uf2' },
];

/** Newest first. */
export const CATALOGUE_RELEASES: readonly CatalogueRelease[] = [
  { version: '1.27.0', date: '20251209' },
  { version: '1.26.1', date: '20250911' },
  { version: '1.25.0', date: '20250415' },
];
