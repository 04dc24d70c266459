// The fast way through a well-formed sign-in document: a byte scan that finds each sign-in object's bytes (an element
// of a top-level array, or of the `value` array of a Graph page) and hands them to JSON.parse, instead of stream-json's
// token per value (about 3× the time, most of it collection; bench/RESULTS.md, entra-scan). Top-level objects that are
// no page are parsed whole. Everything outside the sign-ins is checked too: the arrays' commas and brackets here, a
// page's other members by JSON.parse. At the first thing it does not take (malformed JSON, an element that is no
// object, an object that is neither page nor sign-in, a document cut short) it stops and says so, and the reader goes
// back to stream-json for the whole document, which finds and reports the place exactly (document.ts).

/** What the scan hands on: a sign-in object (`lone`: a top-level object, not an array's element) and its first line. */
export type TakeObject = (value: Record<string, unknown>, line: number, lone: boolean) => boolean;

/** Where the scan is, outside strings: between top-level values, in an array of sign-ins, in a sign-in, in a top-level object. */
const enum At {
  Top,
  ArrayOpen,
  ArrayNext,
  ArrayElement,
  Record,
  Object,
}

/** More than this in one object or page head is left to the full parser (memory stays bounded). */
const MAX_CAPTURE = 64 << 20;

const BOM = [0xef, 0xbb, 0xbf];

/** A key holding an escape (longer than any key compared, so nothing is added to it). */
const ESCAPED = '\\escaped';

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class SignInScanner {
  /** Lines read so far: 1 + newlines. */
  line = 1;
  private at = At.Top;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The array being read is a page's `value` (its end goes back to the page object), not a top-level array. */
  private inPage = false;
  /** The bytes being kept: a sign-in, a top-level object, or a page's members around its array. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  private from = -1;
  private recordLine = 0;
  /** In a top-level object: the last thing at its own level (`{`, `,`, `:`, a key `k`, a value `v`), its last key. */
  private last = '';
  private key = '';
  private keyOpen = false;
  /** The top-level object is a page: what is kept is its members after an array, validated after `{"v":0`. */
  private sawPage = false;
  /** Bytes of the byte order mark passed at the start (3: past it, or there was none). */
  private bom = 0;

  constructor(private readonly take: TakeObject) {}

  /** Scans one chunk; false once the document needs the full parser (nothing more is taken then). */
  feed(b: Buffer): boolean {
    const n = b.length;
    let i = 0;
    for (; this.bom < 3 && i < n; i++, this.bom++) {
      if (b[i] === BOM[this.bom]) continue;
      if (this.bom > 0) return false;
      this.bom = 3;
      break;
    }
    if (this.from < 0 && this.keeping()) this.from = i;
    while (i < n) {
      if (this.at === At.Record) {
        i = this.record(b, i, n);
        if (i < 0) return false;
        continue;
      }
      const c = b[i];
      if (c === 0x0a) this.line++;
      if (this.at === At.Object) {
        if (!this.object(b, i, c)) return false;
        i++;
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.at) {
        case At.Top:
          if (c === 0x5b) {
            this.depth = 1;
            this.at = At.ArrayOpen;
          } else if (c === 0x7b) {
            this.depth = 1;
            this.at = At.Object;
            this.last = '{';
            this.sawPage = false;
            this.recordLine = this.line;
            this.keep(i);
          } else return false;
          break;
        case At.ArrayOpen:
        case At.ArrayElement:
          if (c === 0x7b) this.startRecord(i);
          else if (c === 0x5d && this.at === At.ArrayOpen) this.endArray(i);
          else return false;
          break;
        case At.ArrayNext:
          if (c === 0x2c) this.at = At.ArrayElement;
          else if (c === 0x5d) this.endArray(i);
          else return false;
          break;
      }
      i++;
    }
    if (this.from >= 0) this.carry(b.subarray(this.from, n));
    return this.partBytes <= MAX_CAPTURE;
  }

  /** The input ended: true when it ended between top-level values, outside any string. */
  end(): boolean {
    return this.at === At.Top && !this.inString;
  }

  private keeping(): boolean {
    return this.at === At.Record || this.at === At.Object;
  }

  private keep(i: number): void {
    this.parts = [];
    this.partBytes = 0;
    this.from = i;
  }

  private carry(piece: Buffer): void {
    this.parts.push(Buffer.from(piece));
    this.partBytes += piece.length;
    this.from = -1;
  }

  /** What was kept, up to byte `end` of the current chunk (exclusive), as text; keeping stops. */
  private kept(b: Buffer, end: number): string {
    const tail = b.subarray(Math.max(this.from, 0), end);
    const text = this.parts.length === 0 ? tail.toString('utf8') : Buffer.concat([...this.parts, tail]).toString('utf8');
    this.parts = [];
    this.partBytes = 0;
    this.from = -1;
    return text;
  }

  private startRecord(i: number): void {
    this.at = At.Record;
    this.depth++;
    this.recordLine = this.line;
    this.keep(i);
  }

  private endArray(i: number): void {
    this.depth--;
    if (!this.inPage) {
      this.at = At.Top;
      return;
    }
    this.inPage = false;
    this.at = At.Object;
    this.last = 'v';
    this.keep(i + 1);
  }

  /** Inside a sign-in from byte `i`: the index after it, or after the chunk, or -1 when it does not parse. */
  private record(b: Buffer, i: number, n: number): number {
    const base = this.inPage ? 2 : 1;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let line = this.line;
    for (; i < n; i++) {
      if (inString) {
        // to the closing quote: one not escaped, that is after an even run of backslashes (a raw line end in a
        // string is not JSON: JSON.parse refuses the sign-in, so lines are not counted here)
        if (escaped) {
          escaped = false;
          continue;
        }
        const q = b.indexOf(0x22, i);
        const stop = q < 0 ? n : q;
        let k = stop - 1;
        while (k >= i && b[k] === 0x5c) k--;
        const odd = ((stop - 1 - k) & 1) === 1;
        if (q < 0) {
          escaped = odd;
          i = n;
          break;
        }
        i = q;
        inString = odd;
        continue;
      }
      const c = b[i];
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === base) break;
      } else if (c === 0x0a) line++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.line = line;
    if (i === n) return n;
    const value = parseObject(this.kept(b, i + 1));
    if (value === null || !this.take(value, this.recordLine, false)) return -1;
    this.at = At.ArrayNext;
    return i + 1;
  }

  /** One byte of a top-level object, outside its page's array; false when the document needs the full parser. */
  private object(b: Buffer, i: number, c: number): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === 0x5c) {
        this.escaped = true;
        if (this.keyOpen) this.key = ESCAPED; // it may still spell `value`: an array after it is left to stream-json
      } else if (c === 0x22) {
        this.inString = false;
        if (this.keyOpen) {
          this.keyOpen = false;
          this.last = 'k';
        }
      } else if (this.keyOpen && this.key.length < 8) this.key += String.fromCharCode(c);
      return true;
    }
    if (c === 0x22) {
      this.inString = true;
      if (this.depth === 1 && (this.last === '{' || this.last === ',')) {
        this.keyOpen = true;
        this.key = '';
      } else if (this.depth === 1) this.last = 'v';
      return true;
    }
    if (this.depth === 1 && isSpace(c)) return true;
    if (c === 0x7b || c === 0x5b) {
      if (this.depth === 1 && c === 0x5b && this.last === ':') {
        if (this.key === ESCAPED) return false;
        if (this.key.toLowerCase() === 'value') return this.startPage(b, i);
      }
      if (this.depth === 1) this.last = 'v';
      this.depth++;
      return true;
    }
    if (c === 0x7d || c === 0x5d) {
      if (--this.depth > 0) return true;
      return this.endObject(b, i);
    }
    if (this.depth === 1) this.last = c === 0x2c ? ',' : c === 0x3a ? ':' : 'v';
    return true;
  }

  /** A page's `value` array begins at byte `i`: what came before it must be a valid object's head. */
  private startPage(b: Buffer, i: number): boolean {
    if (!validates(`${this.sawPage ? '{"v":0' : ''}${this.kept(b, i)}null}`)) return false;
    this.sawPage = true;
    this.inPage = true;
    this.depth = 2;
    this.at = At.ArrayOpen;
    return true;
  }

  /** The top-level object ends at byte `i`: the rest of a page, or a lone sign-in. */
  private endObject(b: Buffer, i: number): boolean {
    const text = this.kept(b, i + 1);
    this.at = At.Top;
    if (this.sawPage) return validates(`{"v":0${text}`);
    const value = parseObject(text);
    return value !== null && this.take(value, this.recordLine, true);
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const validates = (text: string): boolean => parseObject(text) !== null;
