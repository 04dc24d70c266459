// Appends text to a file through one reusable ~1 MB buffer, so generated folders never sit in memory.
// Synchronous on purpose (fs.writeSync): the generator is a batch job and the order of bytes must be exact.
import { closeSync, openSync, writeSync } from 'node:fs';

export class ChunkWriter {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;
  private written = 0;

  constructor(path: string, bufferBytes = 1 << 20) {
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  write(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit: flush first if the text might not fit
    const worstCase = text.length * 3;
    if (worstCase > this.buffer.length - this.used) this.flush();
    if (worstCase > this.buffer.length) {
      const bytes = Buffer.from(text, 'utf8');
      writeSync(this.fd, bytes);
      this.written += bytes.length;
      return;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** Flushes, closes and returns the total bytes written. */
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.written;
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.written += this.used;
    this.used = 0;
  }
}
