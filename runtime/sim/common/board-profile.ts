// What a simulated board looks like from Python and on the wire.

export interface BoardProfile {
  id: string;
  /** Board name as in the banner, e.g. "Mote Simulated Pico". */
  name: string;
  /** What the board picker calls it when that differs from the banner name (e.g. "ESP32-DevKitC"). */
  title?: string;
  /** sys.implementation._build of the real firmware (default: the id in capitals). */
  build?: string;
  /** GPIOs on the board's header, when not all of `gpios` are brought out. */
  header?: number[];
  mcu: string;
  platform: string;
  /** Valid GPIO numbers: any other raises ValueError as the real port does. */
  gpios: number[];
  /** Pin names accepted by machine.Pin(name). */
  pinNames: Record<string, number>;
  /** GPIOs that exist but cannot drive (ESP32 34..39): Pin(n, Pin.OUT) raises as on the real port. */
  inputOnly: number[];
  /** GPIO -> ADC channel, for the pins machine.ADC accepts. */
  adcPins: Record<number, number>;
  /** The onboard LEDs (the first is the one examples blink). */
  leds: Array<{ name: string; gpio: number; color: string; activeLow?: boolean }>;
  /** Onboard buttons: pressed pulls the GPIO to GND. */
  buttons: Array<{ name: string; gpio: number }>;
  /** Default pins of the hardware buses, by bus id, as machine.I2C(0) etc. use them. */
  i2c: Record<number, { scl: number; sda: number }>;
  spi: Record<number, { sck: number; mosi: number; miso: number }>;
  uart: Record<number, { tx: number; rx: number }>;
  /** What gc.mem_free() reports on a fresh boot of the real board. */
  memFree: number;
  /** The board picture, a file in resources/boards. */
  picture: string;
  freqHz: number;
  uniqueId: number[];
  /** Kept for the first board view: the LED and button GPIOs. */
  ledGpio: number;
  buttonGpio: number;
}

export const SIM_PICO: BoardProfile = {
  id: 'sim-pico',
  name: 'Mote Simulated Pico',
  mcu: 'RP2040-sim',
  platform: 'rp2',
  gpios: Array.from({ length: 30 }, (_, i) => i),
  // Like a Pico's header: 23, 24, 25 and 29 stay on the board.
  header: [...Array.from({ length: 23 }, (_, i) => i), 26, 27, 28],
  pinNames: { LED: 25, BUTTON: 14 },
  inputOnly: [],
  adcPins: { 26: 0, 27: 1, 28: 2 },
  leds: [{ name: 'LED', gpio: 25, color: '#3ddc84' }],
  buttons: [{ name: 'BUTTON', gpio: 14 }],
  i2c: { 0: { scl: 9, sda: 8 }, 1: { scl: 7, sda: 6 } },
  spi: { 0: { sck: 6, mosi: 7, miso: 4 }, 1: { sck: 10, mosi: 11, miso: 8 } },
  uart: { 0: { tx: 0, rx: 1 }, 1: { tx: 4, rx: 5 } },
  memFree: 233_000,
  picture: 'sim-pico.svg',
  ledGpio: 25,
  buttonGpio: 14,
  freqHz: 125_000_000,
  uniqueId: [0xe6, 0x61, 0x38, 0x52, 0x83, 0x2d, 0x4f, 0x2a],
};

/** GPIO numbers from..to, both included: pin maps are written as runs. */
export function gpioRange(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export const MP_VERSION = '1.27.0';
export const MP_BUILD_DATE = '2025-12-10';

export function bannerFor(p: BoardProfile): string {
  return `MicroPython v${MP_VERSION} on ${MP_BUILD_DATE}; ${p.name} with ${p.mcu}`;
}

function pyStr(s: string): string {
  return JSON.stringify(s); // JSON string syntax is valid Python for these ASCII values
}

/** Python source of the `_mote_board` module the simulated `machine` reads. */
export function boardModuleSource(p: BoardProfile): string {
  const names = Object.entries(p.pinNames).map(([k, v]) => `${pyStr(k)}: ${v}`).join(', ');
  const labels = Object.entries(p.pinNames).map(([k, v]) => `${v}: ${pyStr(k)}`).join(', ');
  const uname = [p.platform, p.platform, MP_VERSION, `v${MP_VERSION} on ${MP_BUILD_DATE}`, `${p.name} with ${p.mcu}`];
  return [
    `PIN_NAMES = {${names}}`,
    `GPIO_LABELS = {${labels}}`,
    `GPIOS = set(${JSON.stringify(p.gpios)})`,
    `ADC_PINS = {${Object.entries(p.adcPins).map(([g, ch]) => `${Number(g)}: ${Number(ch)}`).join(', ')}}`,
    `FREQ = ${p.freqHz}`,
    `UNIQUE_ID = bytes(${JSON.stringify(p.uniqueId)})`,
    `UNAME = (${uname.map(pyStr).join(', ')})`,
    `PLATFORM = ${pyStr(p.platform)}`,
    `BUILD = ${pyStr(p.build ?? p.id.toUpperCase().replace(/-/g, '_'))}`,
    `INPUT_ONLY = set(${JSON.stringify(p.inputOnly)})`,
    `MEM_FREE = ${p.memFree}`,
    `BUTTONS = {${p.buttons.map((b) => `${pyStr(b.name)}: ${b.gpio}`).join(', ')}}`,
    '',
  ].join('\n');
}
