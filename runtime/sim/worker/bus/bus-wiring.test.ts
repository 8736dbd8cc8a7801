// Where the virtual devices are wired on each board profile: always on the
// profile's own default bus pins, never on pins hard-coded for one board.
import { describe, expect, it } from 'vitest';
import { SIM_PICO } from '../../common/board-profile.js';
import { profileById } from '../../common/profiles.js';
import { i2cDeviceWires, spiFlashWires } from './bus-wiring.js';

describe('bus wiring per board profile', () => {
  it('puts the OLED and the sensor on I2C 0 default pins', () => {
    expect(i2cDeviceWires(SIM_PICO)).toEqual({ scl: 9, sda: 8, label: 'i2c0' });
    expect(i2cDeviceWires(profileById('pico-w'))).toEqual({ scl: 5, sda: 4, label: 'i2c0' });
    expect(i2cDeviceWires(profileById('esp32-devkitc'))).toEqual({ scl: 18, sda: 19, label: 'i2c0' });
  });

  it('selects the flash with a chip-select pin the board has free, on its first SPI bus', () => {
    // Pico W: GP5 is I2C 0's SCL there, so the flash takes GP17 (SPI0 CSn beside SCK 18).
    expect(spiFlashWires(profileById('pico-w'))).toEqual({ sck: 18, mosi: 19, miso: 16, cs: 17 });
    expect(spiFlashWires(profileById('esp32-devkitc'))).toEqual({ sck: 14, mosi: 13, miso: 12, cs: 5 });
    expect(spiFlashWires(SIM_PICO)).toEqual({ sck: 6, mosi: 7, miso: 4, cs: 5 });
  });

  it('wires nothing to a board without the bus', () => {
    expect(i2cDeviceWires({ ...SIM_PICO, i2c: {} })).toBeNull();
    expect(spiFlashWires({ ...SIM_PICO, spi: {} })).toBeNull();
  });
});
