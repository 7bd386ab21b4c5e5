/**
 * A streaming parser for the Victron VE.Direct text protocol (19200 8N1, one block a second). A
 * block is a run of fields `\r\n<label>\t<value>` ending with `\r\nChecksum\t<byte>`, where the byte
 * makes all bytes of the block sum to 0 mod 256. HEX-protocol frames (`:` … `\n`) may be
 * interleaved and are not part of any block's checksum. Bytes arrive in arbitrary chunks.
 */
export type VeDirectEvent =
  | { readonly kind: 'block'; readonly fields: ReadonlyMap<string, string> }
  | { readonly kind: 'bad_checksum' }
  /** A block abandoned because a label, value or the block itself outgrew its bound (garbage). */
  | { readonly kind: 'discarded' };

// Bounds from the protocol: labels are at most 9 characters, values at most 33, a block carries at
// most 22 fields. Twice that leaves room for firmware we have not seen and still bounds memory.
const MAX_LABEL = 18;
const MAX_VALUE = 66;
const MAX_FIELDS = 44;
const MAX_HEX_FRAME = 512;

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const COLON = 0x3a;

type State = 'idle' | 'label' | 'value' | 'checksum' | 'hex';

export function createVeDirectParser() {
  let state: State = 'idle';
  let beforeHex: State = 'idle';
  let hexLength = 0;
  let sum = 0;
  let label = '';
  let value = '';
  let fields = new Map<string, string>();

  function reset(): void {
    state = 'idle';
    sum = 0;
    label = '';
    value = '';
    fields = new Map();
  }

  function step(byte: number, events: VeDirectEvent[]): void {
    if (state === 'hex') {
      hexLength += 1;
      if (byte === LF) state = beforeHex;
      else if (hexLength > MAX_HEX_FRAME) reset();
      return;
    }
    // The checksum byte may itself be ':', so a HEX frame cannot start there.
    if (byte === COLON && state !== 'checksum') {
      beforeHex = state;
      hexLength = 0;
      state = 'hex';
      return;
    }
    switch (state) {
      case 'idle':
        // A block starts with "\r\n"; bytes before it (garbage, the tail of a block we joined
        // late) are not part of its checksum.
        if (byte === CR) sum = CR;
        else if (byte === LF && sum === CR) {
          sum = (CR + LF) & 0xff;
          state = 'label';
        } else sum = 0;
        return;
      case 'label':
        sum = (sum + byte) & 0xff;
        if (byte === TAB) {
          state = label === 'Checksum' ? 'checksum' : 'value';
          value = '';
        } else if (byte === CR || byte === LF || label.length >= MAX_LABEL) {
          discard(events);
        } else label += String.fromCharCode(byte);
        return;
      case 'value':
        sum = (sum + byte) & 0xff;
        if (byte === CR) return;
        if (byte === LF) {
          if (fields.size >= MAX_FIELDS) {
            discard(events);
            return;
          }
          fields.set(label, value);
          label = '';
          state = 'label';
        } else if (value.length >= MAX_VALUE) {
          discard(events);
        } else value += String.fromCharCode(byte);
        return;
      case 'checksum':
        sum = (sum + byte) & 0xff;
        events.push(sum === 0 ? { kind: 'block', fields } : { kind: 'bad_checksum' });
        reset();
        return;
    }
  }

  function discard(events: VeDirectEvent[]): void {
    events.push({ kind: 'discarded' });
    reset();
  }

  return {
    /** Feeds bytes; returns the blocks (and bad blocks) they completed. */
    push(chunk: Uint8Array): VeDirectEvent[] {
      const events: VeDirectEvent[] = [];
      for (const byte of chunk) step(byte, events);
      return events;
    },
  };
}
export type VeDirectParser = ReturnType<typeof createVeDirectParser>;
