// `buf.toString(encoding, start, end)` without toString's argument checks and encoding lookup
// (measurable once per message): Buffer's own slice methods when this Node has them (it always has
// so far), else toString. Call them with the buffer as `this`: `utf8Slice.call(buf, start, end)`.

export type Slice = (this: Buffer, start: number, end: number) => string;

const proto = Buffer.prototype as unknown as { latin1Slice?: Slice; ucs2Slice?: Slice; utf8Slice?: Slice };

function native(method: Slice | undefined, encoding: BufferEncoding): Slice {
  return typeof method === 'function'
    ? method
    : function (this: Buffer, start: number, end: number): string {
        return this.toString(encoding, start, end);
      };
}

export const latin1Slice: Slice = native(proto.latin1Slice, 'latin1');
export const ucs2Slice: Slice = native(proto.ucs2Slice, 'utf16le');
export const utf8Slice: Slice = native(proto.utf8Slice, 'utf8');
