// The host-call reply mailbox on its own: a reply is visible only under its
// own id, carries JSON and bytes, and one too large becomes an error reply.
import { describe, expect, it } from 'vitest';
import { createMailbox, MAILBOX_BYTES, readReply, writeReply } from './host-mailbox.js';

describe('host-call reply mailbox', () => {
  it('shows a reply only to the call it answers', () => {
    const m = createMailbox();
    writeReply(m, 7, { ok: true, value: { n: 1, s: 'é' }, bytes: Uint8Array.of(0, 255) });
    expect(readReply(m, 6)).toBeNull();
    expect(readReply(m, 7)).toEqual({ ok: true, value: { n: 1, s: 'é' }, bytes: Uint8Array.of(0, 255) });
    writeReply(m, 8, { ok: false, error: 'ECONNREFUSED' });
    expect(readReply(m, 8)).toEqual({ ok: false, error: 'ECONNREFUSED' });
  });

  it('turns a reply larger than the mailbox into an error that says so', () => {
    const m = createMailbox();
    writeReply(m, 1, { ok: true, value: null, bytes: new Uint8Array(MAILBOX_BYTES + 1) });
    expect(readReply(m, 1)).toEqual({ ok: false, error: `reply too large (${MAILBOX_BYTES + 5} bytes, at most ${MAILBOX_BYTES})` });
  });
});
