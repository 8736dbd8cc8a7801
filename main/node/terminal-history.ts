// The tail of the board's terminal output, for a window that opens (or
// reloads) after the board has already printed its banner.

const LIMIT = 64 * 1024;

export class TerminalHistory {
  private chunks: Uint8Array[] = [];
  private size = 0;

  append(b: Uint8Array): void {
    this.chunks.push(Uint8Array.from(b));
    this.size += b.length;
    while (this.size - this.chunks[0].length >= LIMIT) this.size -= this.chunks.shift()!.length;
  }

  bytes(): Uint8Array {
    const all = Buffer.concat(this.chunks);
    // Cutting inside a UTF-8 character would show a replacement glyph.
    let start = Math.max(0, all.length - LIMIT);
    while (start < all.length && (all[start] & 0xc0) === 0x80) start++;
    return new Uint8Array(all.subarray(start));
  }
}
