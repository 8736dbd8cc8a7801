// SLIP framing as the ESP ROM bootloader uses it: every packet sits between
// 0xC0 bytes; 0xC0 inside is sent as DB DC, 0xDB as DB DD.

const END = 0xc0;
const ESC = 0xdb;
const ESC_END = 0xdc;
const ESC_ESC = 0xdd;

export function slipEncode(packet: Uint8Array): Uint8Array {
  const out: number[] = [END];
  for (const b of packet) {
    if (b === END) out.push(ESC, ESC_END);
    else if (b === ESC) out.push(ESC, ESC_ESC);
    else out.push(b);
  }
  out.push(END);
  return Uint8Array.from(out);
}

/** Splits a byte stream into packets; bytes outside a frame (boot chatter, noise) are dropped. */
export class SlipDecoder {
  private frame: number[] | null = null;
  private escaped = false;

  constructor(private readonly onPacket: (packet: Uint8Array) => void) {}

  push(data: Uint8Array): void {
    for (const b of data) {
      if (b === END) {
        // An END both closes a frame and may open the next; empty frames are just separators.
        if (this.frame && this.frame.length > 0) this.onPacket(Uint8Array.from(this.frame));
        this.frame = [];
        this.escaped = false;
      } else if (this.frame) {
        if (this.escaped) {
          this.frame.push(b === ESC_END ? END : b === ESC_ESC ? ESC : b);
          this.escaped = false;
        } else if (b === ESC) this.escaped = true;
        else this.frame.push(b);
      }
    }
  }

  reset(): void {
    this.frame = null;
    this.escaped = false;
  }
}
