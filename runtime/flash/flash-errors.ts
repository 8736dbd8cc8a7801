// Every way a firmware flash can fail, each with a message a beginner can act on.

export type FlashErrorKind =
  | 'bad-image'
  | 'wrong-chip'
  | 'unsupported-chip'
  | 'no-bootloader'
  | 'port-busy'
  | 'interrupted'
  | 'verify-failed'
  | 'cancelled'
  | 'no-drive'
  | 'checksum'
  | 'not-cached';

export class FlashError extends Error {
  constructor(
    readonly kind: FlashErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'FlashError';
  }
}

export function cancelled(): FlashError {
  return new FlashError('cancelled', 'flashing was cancelled');
}
