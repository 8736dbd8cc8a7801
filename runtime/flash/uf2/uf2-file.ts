// The UF2 container: 512-byte blocks, each with its own header, so a drive
// can write blocks as they arrive. Layout (little-endian u32s): magic0
// "UF2\n" 0x0A324655, magic1 0x9E5D5157, flags, target address, payload
// size, block number, block count, file size or family id (when flag
// 0x2000 is set), 476 data bytes, final magic 0x0AB16F30.

import { FlashError } from '../flash-errors.js';

const BLOCK = 512;
const MAGIC0 = 0x0a324655;
const MAGIC1 = 0x9e5d5157;
const MAGIC_END = 0x0ab16f30;
const FLAG_NOT_MAIN_FLASH = 0x00000001;
const FLAG_FAMILY_ID = 0x00002000;

export const UF2_FAMILY = {
  RP2040: 0xe48bff56,
  /** Blocks every RP2350 accepts, whatever its architecture (MicroPython puts one first, for the RP2350-E10 erratum). */
  ABSOLUTE: 0xe48bff57,
  DATA: 0xe48bff58,
  RP2350_ARM_S: 0xe48bff59,
  RP2350_RISCV: 0xe48bff5a,
  RP2350_ARM_NS: 0xe48bff5b,
} as const;

export interface Uf2Summary {
  blocks: number;
  /** Family ids of the blocks that go to main flash. */
  families: Set<number>;
  /** Bytes of payload that go to main flash. */
  payloadBytes: number;
}

export function readUf2(file: Uint8Array): Uf2Summary {
  if (file.length === 0 || file.length % BLOCK !== 0) throw new FlashError('bad-image', `not a UF2 file: its size (${file.length} bytes) is not a whole number of 512-byte blocks`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const families = new Set<number>();
  let payloadBytes = 0;
  for (let off = 0; off < file.length; off += BLOCK) {
    if (v.getUint32(off, true) !== MAGIC0 || v.getUint32(off + 4, true) !== MAGIC1 || v.getUint32(off + BLOCK - 4, true) !== MAGIC_END)
      throw new FlashError('bad-image', `not a UF2 file: block ${off / BLOCK} has no UF2 magic`);
    const flags = v.getUint32(off + 8, true);
    if (flags & FLAG_NOT_MAIN_FLASH) continue;
    if (flags & FLAG_FAMILY_ID) families.add(v.getUint32(off + 28, true));
    payloadBytes += v.getUint32(off + 16, true);
  }
  return { blocks: file.length / BLOCK, families, payloadBytes };
}

/** The families a UF2 drive's Board-ID accepts (INFO_UF2.TXT). */
export function familiesForBoardId(boardId: string): { chip: string; families: number[] } | null {
  if (/^RPI-RP2\b/.test(boardId)) return { chip: 'RP2040', families: [UF2_FAMILY.RP2040] };
  if (/^RP2350\b/.test(boardId))
    return { chip: 'RP2350', families: [UF2_FAMILY.RP2350_ARM_S, UF2_FAMILY.RP2350_RISCV, UF2_FAMILY.RP2350_ARM_NS, UF2_FAMILY.ABSOLUTE, UF2_FAMILY.DATA] };
  return null;
}

export function familyName(id: number): string {
  const e = Object.entries(UF2_FAMILY).find(([, v]) => v === id);
  return e ? e[0].replace(/_/g, '-') : `0x${id.toString(16)}`;
}

/** Refuses a UF2 built for another chip than the drive's board. */
export function checkUf2ForBoard(summary: Uf2Summary, boardId: string): string {
  const board = familiesForBoardId(boardId);
  if (!board) throw new FlashError('unsupported-chip', `the UF2 drive says Board-ID ${boardId}, which Mote does not know: copy the file by hand if you are sure`);
  // Only the absolute/data families would run on anything: a real image has a chip family too.
  const chipFamilies = [...summary.families].filter((f) => f !== UF2_FAMILY.ABSOLUTE && f !== UF2_FAMILY.DATA);
  if (chipFamilies.length === 0) throw new FlashError('bad-image', 'this UF2 file names no chip family, so it cannot be checked against the board');
  const wrong = chipFamilies.filter((f) => !board.families.includes(f));
  if (wrong.length)
    throw new FlashError('wrong-chip', `this UF2 is built for ${wrong.map(familyName).join(', ')}, but the board is an ${board.chip} (Board-ID ${boardId}): download the image for your board`);
  return board.chip;
}

/** Makes a UF2 file (for tests and benches): payload split into 256-byte blocks at `address`. */
export function makeUf2(payload: Uint8Array, family: number, address = 0x10000000): Uint8Array {
  const n = Math.ceil(payload.length / 256);
  const out = new Uint8Array(n * BLOCK);
  const v = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const o = i * BLOCK;
    v.setUint32(o, MAGIC0, true);
    v.setUint32(o + 4, MAGIC1, true);
    v.setUint32(o + 8, FLAG_FAMILY_ID, true);
    v.setUint32(o + 12, address + i * 256, true);
    v.setUint32(o + 16, 256, true);
    v.setUint32(o + 20, i, true);
    v.setUint32(o + 24, n, true);
    v.setUint32(o + 28, family, true);
    out.set(payload.subarray(i * 256, (i + 1) * 256), o + 32);
    v.setUint32(o + BLOCK - 4, MAGIC_END, true);
  }
  return out;
}
