// What an ESP firmware image's header says, and where each chip wants it.
//
// Header (all ESP chips): byte 0 = 0xE9 magic, 1 = segment count, 2 = flash
// mode, 3 = size/frequency, 4..7 = entry point. The ESP32 family adds an
// extended header whose bytes 12..13 are the chip id (u16 LE); the ESP8266
// image has none, so its chip cannot be read from the file.

import { FlashError } from '../flash-errors.js';

export const IMAGE_MAGIC = 0xe9;

export interface EspChipFacts {
  /** esptool-js's CHIP_NAME. */
  name: string;
  /** Chip id in the image's extended header; null for the ESP8266 (no extended header). */
  imageChipId: number | null;
  /** Where a MicroPython image (bootloader included) goes. */
  offset: number;
}

/** Offsets as in PROTOCOLS.md: 0x1000 for ESP32 and S2, 0 for S3, C3, C6 and ESP8266. */
export const ESP_CHIPS: readonly EspChipFacts[] = [
  { name: 'ESP8266', imageChipId: null, offset: 0x0 },
  { name: 'ESP32', imageChipId: 0, offset: 0x1000 },
  { name: 'ESP32-S2', imageChipId: 2, offset: 0x1000 },
  { name: 'ESP32-S3', imageChipId: 9, offset: 0x0 },
  { name: 'ESP32-C3', imageChipId: 5, offset: 0x0 },
  { name: 'ESP32-C6', imageChipId: 13, offset: 0x0 },
];

export function chipFacts(chipName: string): EspChipFacts {
  const c = ESP_CHIPS.find((x) => x.name === chipName);
  if (!c) throw new FlashError('unsupported-chip', `${chipName} is not a chip Mote can flash MicroPython onto (supported: ${ESP_CHIPS.map((x) => x.name).join(', ')})`);
  return c;
}

/** Throws unless the file looks like an ESP image. */
export function checkEspImage(image: Uint8Array): void {
  if (image.length < 24 || image[0] !== IMAGE_MAGIC) {
    const first = image.length ? `0x${image[0].toString(16).padStart(2, '0')}` : 'nothing';
    throw new FlashError('bad-image', `this is not an ESP firmware image (it starts with ${first}, not 0xe9); for a Pico use the .uf2 file`);
  }
}

/** The chip id in an ESP32-family image header. */
export function imageChipId(image: Uint8Array): number {
  return image[12] | (image[13] << 8);
}

/** Refuses an image built for another chip, before anything is written. */
export function checkImageForChip(image: Uint8Array, chip: EspChipFacts): void {
  checkEspImage(image);
  if (chip.imageChipId === null) return; // ESP8266 images carry no chip id
  const id = imageChipId(image);
  if (id !== chip.imageChipId) {
    const built = ESP_CHIPS.find((c) => c.imageChipId === id)?.name ?? `chip id ${id}`;
    throw new FlashError('wrong-chip', `this firmware is built for ${built}, but the board is an ${chip.name}: download the ${chip.name} image instead`);
  }
}
