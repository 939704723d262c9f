// Read buffers handed from one file to the next. A folder of thousands of chats is read one file
// after another, and a new buffer per file (or per piece of one), garbage at once, made tens of MB
// of memory wait for the next full collection, and the C heap they came from kept that size to the
// end of the run. A buffer is given back only once nothing reads into it or from it any more.

export class SpareBuffers {
  private readonly kept: Buffer[] = [];

  /** `most`: how many are kept; the largest ones. */
  constructor(private readonly most: number) {}

  /** A kept buffer of at least `length` bytes, or a new one of exactly that. */
  take(length: number): Buffer {
    const at = this.kept.findIndex((b) => b.length >= length);
    return at >= 0 ? this.kept.splice(at, 1)[0]! : Buffer.allocUnsafe(length);
  }

  /** Keeps `buffer` for a later take (of those given back, only the `most` largest stay). */
  giveBack(buffer: Buffer): void {
    this.kept.push(buffer);
    this.kept.sort((a, b) => b.length - a.length);
    this.kept.length = Math.min(this.kept.length, this.most);
  }
}
