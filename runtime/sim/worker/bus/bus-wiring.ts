// Which virtual devices are wired to which pins of a board profile. Devices
// hang on the wires, not on a peripheral: I2C(0) with its default pins and a
// SoftI2C on the same two pins reach the same OLED and sensor, as on a
// breadboard.

import type { BoardProfile } from '../../common/board-profile.js';

export interface I2cWires {
  scl: number;
  sda: number;
  /** The hardware bus whose default pins these are, for the board view. */
  label: string;
}

export interface SpiWires {
  sck: number;
  mosi: number;
  miso: number;
  cs: number;
}

const lowestId = (buses: Record<number, unknown>): number | null => {
  const ids = Object.keys(buses).map(Number).sort((a, b) => a - b);
  return ids.length ? ids[0] : null;
};

/** OLED (0x3C) and SHT3x (0x44): on the default pins of I2C 0 (or the lowest id the board has). */
export function i2cDeviceWires(p: BoardProfile): I2cWires | null {
  const id = 0 in p.i2c ? 0 : lowestId(p.i2c);
  if (id === null) return null;
  return { ...p.i2c[id], label: `i2c${id}` };
}

// Hardware chip selects: GPIO 5 and 17 are SPI0 CSn on the RP2040 (17 sits
// next to SCK 18 on a Pico), 5 and 15 are VSPI and HSPI CS0 on the ESP32.
const PREFERRED_FLASH_CS = [5, 17, 15];

/** The SPI flash: on the default pins of the board's lowest SPI id, selected by the first free of PREFERRED_FLASH_CS (or any free GPIO). */
export function spiFlashWires(p: BoardProfile): SpiWires | null {
  const id = lowestId(p.spi);
  if (id === null) return null;
  const bus = p.spi[id];
  // Other bus functions may share the pin (GP5 is also UART1 RX on a Pico); only wires in use here rule it out.
  const i2c = i2cDeviceWires(p);
  const taken = new Set<number>([bus.sck, bus.mosi, bus.miso, ...(i2c ? [i2c.scl, i2c.sda] : []), ...p.leds.map((l) => l.gpio), ...p.buttons.map((b) => b.gpio)]);
  const usable = (g: number) => p.gpios.includes(g) && !p.inputOnly.includes(g);
  const free = (g: number) => usable(g) && !taken.has(g);
  const cs = PREFERRED_FLASH_CS.find(free) ?? p.gpios.find(free);
  return cs === undefined ? null : { ...bus, cs };
}
