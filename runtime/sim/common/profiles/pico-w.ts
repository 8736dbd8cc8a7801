// Raspberry Pi Pico W as MicroPython 1.27's rp2 port (board RPI_PICO_W) shows it.
//
// Facts from the rp2 port and the pico-sdk board file for the Pico W:
// - machine.Pin takes any of the RP2040's 30 GPIOs (0..29) by number, and
//   raises ValueError("invalid pin") for any other number; the header brings out
//   0..22 and 26..28 (23, 24, 25 and 29 serve the CYW43 wireless chip).
// - The green LED hangs off the wireless chip's GPIO 0, so it is reached only by
//   name: Pin("LED") (alias of WL_GPIO0). Pin(25) is a plain GPIO here (the
//   chip-select of the wireless SPI), not the LED as on the original Pico.
// - BOOTSEL is no GPIO either (it is the flash chip-select, read with
//   rp2.bootsel_button()).
// - The default bus pins are the pico-sdk defaults (I2C0 on GP4/GP5, SPI0 on
//   GP16..19, UART0 on GP0/GP1); the other instance uses the port's fallbacks.
//
// Ids 64 and up are not GPIOs: they name parts the simulator reaches another
// way. Python cannot use them as numbers (Pin(64) raises as on the board).

import { gpioRange as range, type BoardProfile } from '../board-profile.js';

/** The wireless chip's GPIO 0 (the LED), 1 and 2, and the BOOTSEL button. */
export const PICO_W_WL_GPIO0 = 64;
export const PICO_W_BOOTSEL = 67;

/** GPIOn names of the CPU first, then the board's names: the last name of a GPIO is the one Pin's repr shows. */
function picoWPinNames(): Record<string, number> {
  const names: Record<string, number> = {};
  for (const g of [...range(0, 22), ...range(26, 28)]) names[`GP${g}`] = g;
  for (const g of range(0, 29)) names[`GPIO${g}`] = g;
  names.LED = PICO_W_WL_GPIO0;
  names.WL_GPIO0 = PICO_W_WL_GPIO0;
  names.WL_GPIO1 = PICO_W_WL_GPIO0 + 1;
  names.WL_GPIO2 = PICO_W_WL_GPIO0 + 2;
  return names;
}

export const PICO_W: BoardProfile = {
  id: 'pico-w',
  name: 'Raspberry Pi Pico W',
  mcu: 'RP2040',
  platform: 'rp2',
  build: 'RPI_PICO_W',
  gpios: range(0, 29),
  header: [...range(0, 22), ...range(26, 28)],
  pinNames: picoWPinNames(),
  inputOnly: [],
  adcPins: { 26: 0, 27: 1, 28: 2 },
  leds: [{ name: 'LED', gpio: PICO_W_WL_GPIO0, color: '#3ddc84' }],
  buttons: [{ name: 'BOOTSEL', gpio: PICO_W_BOOTSEL }],
  i2c: { 0: { scl: 5, sda: 4 }, 1: { scl: 7, sda: 6 } },
  spi: { 0: { sck: 18, mosi: 19, miso: 16 }, 1: { sck: 10, mosi: 11, miso: 8 } },
  uart: { 0: { tx: 0, rx: 1 }, 1: { tx: 4, rx: 5 } },
  // The CYW43 driver and lwIP take their share of the 264 KB SRAM.
  memFree: 192_000,
  picture: 'pico-w.svg',
  freqHz: 125_000_000,
  uniqueId: [0xe6, 0x61, 0x41, 0x04, 0x03, 0x5f, 0x2c, 0x21],
  ledGpio: PICO_W_WL_GPIO0,
  buttonGpio: PICO_W_BOOTSEL,
};
