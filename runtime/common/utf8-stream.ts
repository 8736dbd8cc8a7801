// Terminal text from a board, decoded as a stream. Boards send UTF-8 that
// arrives split across reads, and also arbitrary bytes (binary prints, line
// noise, a wrong baud rate): the terminal must show both and never throw.
//
// This is the WHATWG UTF-8 decoder (the one TextDecoder implements): each
// invalid sequence becomes one U+FFFD, exactly as TextDecoder would replace
// it, whatever the chunking. It is written out rather than wrapping
// TextDecoder so that a terminal can see how many bytes of an incomplete
// character are held back, and flush them when the board falls silent
// instead of hiding them until the next byte arrives.

const REPLACEMENT = 0xfffd;

export class Utf8Stream {
  private needed = 0;
  private seen = 0;
  private codePoint = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** Bytes of an incomplete character waiting for the next chunk. */
  get pending(): number {
    return this.needed ? this.seen + 1 : 0;
  }

  /** Decodes the next chunk. An incomplete character at its end is held for the next call. */
  write(bytes: Uint8Array): string {
    const out: number[] = [];
    let text = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.needed === 0) {
        if (b < 0x80) out.push(b);
        else if (b >= 0xc2 && b <= 0xdf) this.begin(1, b & 0x1f);
        else if (b >= 0xe0 && b <= 0xef) {
          // E0 must not start an overlong form; ED must not encode a surrogate.
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
          this.begin(2, b & 0x0f);
        } else if (b >= 0xf0 && b <= 0xf4) {
          // F0 must not be overlong; F4 must stay at or below U+10FFFF.
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
          this.begin(3, b & 0x07);
        } else out.push(REPLACEMENT); // 80-C1, F5-FF never start a character
      } else if (b < this.lower || b > this.upper) {
        // The sequence so far is one error; the byte itself starts afresh.
        this.reset();
        out.push(REPLACEMENT);
        i--;
      } else {
        this.lower = 0x80;
        this.upper = 0xbf;
        this.codePoint = (this.codePoint << 6) | (b & 0x3f);
        if (++this.seen === this.needed) {
          out.push(this.codePoint);
          this.reset();
        }
      }
      // String.fromCodePoint takes arguments: keep batches well below engine limits.
      if (out.length >= 8192) {
        text += String.fromCodePoint(...out);
        out.length = 0;
      }
    }
    return text + (out.length ? String.fromCodePoint(...out) : '');
  }

  /**
   * Gives up on a held incomplete character (one U+FFFD), e.g. when the board
   * has been silent for a while or the stream ends. Returns '' if none is held.
   */
  flush(): string {
    if (!this.needed) return '';
    this.reset();
    return String.fromCodePoint(REPLACEMENT);
  }

  private begin(needed: number, bits: number): void {
    this.needed = needed;
    this.codePoint = bits;
    this.seen = 0;
  }

  private reset(): void {
    this.needed = 0;
    this.seen = 0;
    this.codePoint = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }
}
