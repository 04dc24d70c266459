// Bytes → text lines with 1-based line numbers and exact byte offsets, for any chunking of the input.
// UTF-8 (BOM stripped) by default; a line that is not valid UTF-8 is decoded as windows-1252. It does not parse.
import { isAscii, isUtf8 } from 'node:buffer';

/** Longer lines are skipped up to the next newline and reported (IIS caps custom fields at 64 KiB). */
export const MAX_LINE_BYTES = 1 << 20;

export interface LineHandler {
  line(text: string, lineNo: number): void;
  /** When present, called instead of `line(text.slice(start, end), lineNo)` for a line of a decoded region. */
  lineIn?(text: string, start: number, end: number, lineNo: number): void;
  /** A line over MAX_LINE_BYTES, dropped. */
  tooLong(lineNo: number, bytes: number): void;
}

/** Hands `to` the line `text.slice(start, end)`: where it lies when `to` reads lines so, else cut out. */
export function lineInto(
  to: Pick<LineHandler, 'line' | 'lineIn'>, text: string, start: number, end: number, lineNo: number,
): void {
  if (to.lineIn !== undefined) to.lineIn(text, start, end, lineNo);
  else to.line(text.slice(start, end), lineNo);
}

// windows-1252 differs from latin1 only in 0x80–0x9F. Node 20's TextDecoder('windows-1252') decodes as
// latin1 (0x80 → U+0080 instead of €), so those 32 bytes are mapped here; 0xFFFD marks the five unassigned ones.
const CP1252_HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd,
  0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0xfffd, 0x017e, 0x0178,
];

export function decodeCp1252(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /[\u0080-\u009f]/.test(text)
    ? text.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]))
    : text;
}

export class LineSplitter {
  /** Byte offset just after the last complete line handed out (the checkpoint position). */
  consumed: number;
  /** Number of the last line handed out. */
  lineNo: number;
  private carry: Buffer | null = null;
  private skipping = 0; // bytes of an over-long line being skipped, 0 when not skipping
  private atStart: boolean;

  constructor(
    protected readonly handler: LineHandler,
    startOffset = 0,
    startLine = 0,
  ) {
    this.consumed = startOffset;
    this.lineNo = startLine;
    this.atStart = startOffset === 0;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.carry) {
      const nl = this.atStart ? -1 : chunk.indexOf(10);
      if (nl < 0) {
        buf = Buffer.concat([this.carry, chunk]);
      } else {
        // Only the line begun in the previous chunk is copied, not the whole chunk
        const first = Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]);
        this.carry = null;
        this.emit(first);
        buf = chunk.subarray(nl + 1);
      }
      this.carry = null;
    }
    if (this.atStart) {
      if (buf.length < 3 && buf.length > 0 && isBomPrefix(buf)) {
        this.carry = buf;
        return;
      }
      this.atStart = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.consumed += 3;
      }
    }
    if (this.skipping > 0) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.skipping += buf.length;
        return;
      }
      this.skipping += nl + 1;
      this.lineNo++;
      this.consumed += this.skipping;
      this.handler.tooLong(this.lineNo, this.skipping);
      this.skipping = 0;
      buf = buf.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.keep(buf);
      return;
    }
    this.emit(buf.subarray(0, last + 1));
    if (last + 1 < buf.length) this.keep(buf.subarray(last + 1));
  }

  /**
   * End of input. A final line without a newline is handed out when `final` (a finished file);
   * otherwise it is held back, not counted, and `consumed` stays before it.
   */
  end(final: boolean): void {
    if (this.skipping > 0) {
      if (final) {
        this.lineNo++;
        this.consumed += this.skipping;
        this.handler.tooLong(this.lineNo, this.skipping);
      }
      this.skipping = 0;
      return;
    }
    const rest = this.carry;
    if (!rest || rest.length === 0 || !final) return; // held back: `pending` still tells its size
    this.carry = null;
    this.lineNo++;
    this.consumed += rest.length;
    this.handler.line(decodeLine(stripCr(rest)), this.lineNo);
  }

  /** Bytes held back (an unfinished last line). */
  get pending(): number {
    return this.carry ? this.carry.length : 0;
  }

  private keep(rest: Buffer): void {
    if (rest.length > MAX_LINE_BYTES) {
      this.skipping = rest.length;
      return;
    }
    // Copy so the caller's chunk buffer can be reused or collected.
    this.carry = Buffer.from(rest);
  }

  /**
   * Hands out the lines of `region`, whole lines ending with a newline. A subclass may read regions another way
   * (engine/chunk-splitter.ts) with `skipped` and `lineAt`.
   */
  protected emit(region: Buffer): void {
    const h = this.handler;
    const ascii = isAscii(region); // the usual case: a plain copy, and characters and bytes coincide
    if (ascii || isUtf8(region)) {
      const text = region.toString(ascii ? 'latin1' : 'utf8');
      let start = 0;
      let lineNo = this.lineNo;
      let offset = this.consumed;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        lineNo++;
        const byteLen = ascii ? nl + 1 - start : Buffer.byteLength(text.slice(start, nl + 1));
        if (byteLen > MAX_LINE_BYTES) {
          h.tooLong(lineNo, byteLen);
        } else {
          // Offsets advance before the handler runs so a flush inside it checkpoints after this line.
          this.lineNo = lineNo;
          this.consumed = offset + byteLen;
          lineInto(h, text, start, end, lineNo);
        }
        offset += byteLen;
        this.lineNo = lineNo;
        this.consumed = offset;
        start = nl + 1;
      }
      return;
    }
    let start = 0;
    for (;;) {
      const nl = region.indexOf(10, start);
      if (nl < 0) break;
      this.lineNo++;
      this.consumed += nl + 1 - start;
      if (nl + 1 - start > MAX_LINE_BYTES) h.tooLong(this.lineNo, nl + 1 - start);
      else h.line(decodeLine(stripCr(region.subarray(start, nl))), this.lineNo);
      start = nl + 1;
    }
  }

  /** `lines` lines of `bytes` bytes were read by other means: the position moves past them. */
  protected skipped(lines: number, bytes: number): void {
    this.lineNo += lines;
    this.consumed += bytes;
  }

  /** Hands out the line of `region` at `start` (a line start; the region ends with a newline); the next line's start. */
  protected lineAt(region: Buffer, start: number): number {
    const nl = region.indexOf(10, start);
    const end = nl > start && region[nl - 1] === 13 ? nl - 1 : nl;
    const byteLen = nl + 1 - start;
    this.lineNo++;
    // Offsets advance before the handler runs so a flush inside it checkpoints after this line.
    this.consumed += byteLen;
    if (byteLen > MAX_LINE_BYTES) this.handler.tooLong(this.lineNo, byteLen);
    else this.handler.line(decodeLineBytes(region, start, end), this.lineNo);
    return nl + 1;
  }
}

/** `buf[start, end)` as text: UTF-8 when valid (ASCII included), else windows-1252, like every line read. */
export function decodeLineBytes(buf: Buffer, start: number, end: number): string {
  const line = buf.subarray(start, end);
  if (isAscii(line)) return line.toString('latin1');
  return decodeLine(line);
}

function isBomPrefix(buf: Buffer): boolean {
  return buf[0] === 0xef && (buf.length < 2 || buf[1] === 0xbb);
}

function stripCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
}

function decodeLine(line: Buffer): string {
  return isUtf8(line) ? line.toString('utf8') : decodeCp1252(line);
}
