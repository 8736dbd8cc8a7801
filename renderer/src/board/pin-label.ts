// How a board's own documentation names a pin: "GP25" on an RP2040 board,
// "GPIO2" on an ESP32. Numbers from 64 up are not GPIOs of the MCU (the Pico
// W's LED hangs off the wireless chip) and get no pin label.

export function pinLabel(platform: string | undefined, gpio: number): string | null {
  if (gpio >= 64) return null;
  return platform === 'esp32' ? `GPIO${gpio}` : `GP${gpio}`;
}
