// Espressif ESP32-DevKitC (ESP32-WROOM-32, no SPIRAM) as MicroPython 1.27's
// esp32 port (board ESP32_GENERIC) shows it.
//
// Facts from the esp32 port and Espressif's DevKitC pinout:
// - machine.Pin knows GPIO 0..19, 21..23, 25..27 and 32..39; any other number
//   (20, 24, 28..31, 40+) raises ValueError("invalid pin"). There are no named
//   pins on this board, so Pin("LED") raises the same error.
// - 34..39 are input only: Pin(34, Pin.OUT) raises ValueError("pin can only be input").
// - ADC1 is on 32..39 (usable with Wi-Fi on); ADC2 on 0, 2, 4, 12..15, 25..27.
//   The channel number kept here is 10 * unit-index + channel (ADC1 0..7, ADC2 10..19)
//   so both units fit one map.
// - The DevKitC has only a power LED. Blink examples for ESP32 boards use GPIO 2
//   (the user LED on most other ESP32 dev boards), so the simulated DevKitC has
//   an LED wired to GPIO 2, drawn as an add-on next to the power LED.
// - BOOT is a button from GPIO 0 to GND (the board pulls GPIO 0 up).
// - Default bus pins of the port: I2C(0) scl 18 sda 19, I2C(1) scl 25 sda 26;
//   SPI(1) (HSPI) 14/13/12, SPI(2) (VSPI) 18/23/19; UART(1) tx 10 rx 9, UART(2) tx 17 rx 16.

import { gpioRange as range, type BoardProfile } from '../board-profile.js';

export const ESP32_DEVKITC: BoardProfile = {
  id: 'esp32-devkitc',
  name: 'Generic ESP32 module',
  title: 'ESP32-DevKitC',
  mcu: 'ESP32',
  platform: 'esp32',
  build: 'ESP32_GENERIC',
  gpios: [...range(0, 19), 21, 22, 23, 25, 26, 27, ...range(32, 39)],
  // The WROOM-32 module does not bring out GPIO 37 and 38.
  header: [...range(0, 19), 21, 22, 23, 25, 26, 27, ...range(32, 36), 39],
  pinNames: {},
  inputOnly: range(34, 39),
  adcPins: {
    36: 0, 37: 1, 38: 2, 39: 3, 32: 4, 33: 5, 34: 6, 35: 7,
    4: 10, 0: 11, 2: 12, 15: 13, 13: 14, 12: 15, 14: 16, 27: 17, 25: 18, 26: 19,
  },
  leds: [{ name: 'LED', gpio: 2, color: '#4aa8ff' }],
  buttons: [{ name: 'BOOT', gpio: 0 }],
  i2c: { 0: { scl: 18, sda: 19 }, 1: { scl: 25, sda: 26 } },
  spi: { 1: { sck: 14, mosi: 13, miso: 12 }, 2: { sck: 18, mosi: 23, miso: 19 } },
  uart: { 1: { tx: 10, rx: 9 }, 2: { tx: 17, rx: 16 } },
  // The heap MicroPython gets from ESP-IDF once Wi-Fi and Bluetooth have taken theirs.
  memFree: 142_000,
  picture: 'esp32-devkitc.svg',
  freqHz: 160_000_000,
  // unique_id() is the Wi-Fi MAC (Espressif's 24:0A:C4 prefix).
  uniqueId: [0x24, 0x0a, 0xc4, 0x3b, 0x9e, 0x58],
  ledGpio: 2,
  buttonGpio: 0,
};
