// Entra ID sign-ins in one JSON document, never the whole file in memory: a byte scan hands each sign-in to JSON.parse
// (json-spans.ts); a document it does not take whole is read from its start with stream-json, passing over the
// sign-ins already taken. The documents: a Microsoft Graph auditLogs/signIns page
// `{"@odata.context", "value": [ … ], "@odata.nextLink"}`, the admin center's "Download JSON" (a bare array), Log
// Analytics JSON (an array of rows), or sign-in objects one after another. Malformed JSON skips the sign-in it breaks: its place is found exactly (stream-json's verifier), what came
// before it is read again up to there, and reading goes on at the next sign-in object (resync.ts). A truncated
// download keeps every sign-in before the cut. Both are counted as diagnostics naming line and byte.
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/parser.js';
import type { DocumentReader, FormatDef, ParseContext } from '../types.js';
import { fieldsOf, freshTally, takeSignIn, type SignInTally } from './signin.js';
import { SignInScanner } from './json-spans.js';
import { freshProgress, locateError, nextStart, settled, textFrom, write, type Reopen } from './resync.js';
import { looksLikeSignIn, looksLikeSignInDocument } from './sniff.js';

/** Resumptions after malformed JSON in one file; past them the rest of the file is left unread, and said so. */
const MAX_RESUMES = 1000;

interface Token {
  readonly name: string;
  readonly value?: unknown;
}

/** Containers open outside a sign-in: a top-level array or object, or the `value` array of a Graph page. */
type Frame = 'array' | 'object' | 'value';

class DocumentParser implements DocumentReader {
  private readonly tally: SignInTally = freshTally();
  private readonly frames: Frame[] = [];
  /** The sign-in being assembled, or the top-level object (to tell a page from a lone sign-in). */
  private record: Assembler | null = null;
  private shell: Assembler | null = null;
  private valueKey = false;
  private sawPage = false;
  /** Line of the current chunk's start, for messages. */
  private line = 1;
  /** Sign-in objects met in this read, and how many of them a second read passes over (taken by the first). */
  private seen = 0;
  private skip = 0;
  /**
   * Reading resumed after malformed JSON, at a place that may not be a sign-in's start after all: what is not a
   * sign-in there (a piece of the broken one) is dropped without a word.
   */
  private resumed = false;

  constructor(private readonly ctx: ParseContext) {}

  get records(): number {
    return this.tally.counted;
  }

  get lines(): number {
    return this.line;
  }

  saveState(): SignInTally {
    return { ...this.tally };
  }

  async read(
    chunks: AsyncIterable<Buffer>, progress: (bytes: number) => void, between: () => void, again?: Reopen,
  ): Promise<void> {
    let source = chunks;
    let scanned = 0;
    if (again !== undefined) {
      const it = chunks[Symbol.asyncIterator]();
      const stopped = await this.scan(it, progress, between);
      if (stopped === null) return;
      // Read again from the start with stream-json, passing over the sign-ins taken
      const taken = this.seen;
      this.reset(false);
      this.skip = taken;
      this.line = 1;
      scanned = stopped;
      source = replay(again, stopped, it);
    }
    let bytes = 0;
    let first = true;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const raw of source) {
        const chunk = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
        first = false;
        yield chunk;
        bytes += raw.length;
        progress(Math.max(bytes, scanned));
      }
    }
    let failure = await this.pass(counted(), between, (chunk) => {
      const b = chunk as Buffer;
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) this.line++;
    });
    if (failure === null) {
      if (this.frames.length > 0 || this.record !== null) this.truncated(this.line, `at byte ${bytes}`);
      return;
    }
    if (again === undefined) {
      this.ctx.diags.add('bad_json', this.line, `malformed JSON (${failure.message}); the ${this.tally.counted} sign-ins before it were read`);
      return;
    }
    // The read that failed began at byte `start` (text `prefix` put before it) on line `startLine`
    let start = 0;
    let prefix = '';
    let startLine = 1;
    for (let resumes = 0; failure !== null; resumes++) {
      // stream-json drops the tokens of the chunk it fails in: find the exact place, then read up to it again,
      // skipping the sign-ins already taken
      const at = await locateError(textFrom(again, start, prefix, null, freshProgress())).catch(() => null);
      if (at === null) {
        this.ctx.diags.add('bad_json', this.line, `malformed JSON (${failure.message}); the ${this.tally.counted} sign-ins before it were read`);
        return;
      }
      // the sign-ins this pass went through, or those the byte scan took when the pass failed before reaching them
      const skip = Math.max(this.seen, this.skip);
      this.reset(start > 0);
      this.skip = skip;
      const got = freshProgress();
      await this.pass(textFrom(again, start, prefix, at.offset, got), between, () => undefined);
      const line = startLine + at.line - 1;
      const byte = start + got.bytes;
      this.line = line;
      const where = `at line ${line}${at.line > 1 || start === 0 ? `, column ${at.pos}` : ''} (byte ${byte})`;
      if (at.offset >= at.chars) return this.truncated(line, where);
      // A read resumed inside an array that came to the array's end: the rest is the page's own members
      const arrayEnd = prefix !== '' && this.frames.length === 0 && this.record === null;
      const next = resumes < MAX_RESUMES ? await nextStart(again, byte, got.last) : null;
      if (!arrayEnd) {
        const reason = failure.message.replace(/^Parser (cannot parse input: )?/, '');
        const broken = this.record !== null ? 'the sign-in there was skipped' : 'the text there was skipped';
        const after = next !== null ? 'reading went on after it'
          : resumes < MAX_RESUMES ? 'no sign-in follows it' : `the rest of the file was not read (${MAX_RESUMES} places already skipped)`;
        this.ctx.diags.add('bad_json', line,
          `malformed JSON ${where}: ${reason}; ${broken} (${this.tally.counted} sign-ins before it were read), ${after}`);
      }
      if (next === null) return;
      start = next.byte;
      prefix = next.inArray ? '[' : '';
      startLine = line + next.newlines;
      this.reset(true);
      const resumed = freshProgress();
      failure = await this.pass(textFrom(again, start, prefix, null, resumed), between, () => {
        this.line = startLine + resumed.newlines;
        progress(Math.max(bytes, start + resumed.bytes));
      });
      if (failure === null && (this.frames.length > 0 || this.record !== null)) {
        this.truncated(this.line, `at byte ${start + resumed.bytes}`);
      }
    }
  }

  private truncated(line: number, where: string): void {
    this.ctx.diags.add('truncated', line,
      `the JSON ends ${this.record !== null ? 'inside a sign-in' : 'before the document is complete'} ${where} (an interrupted download?): the ${this.tally.counted} sign-ins before the cut were read`);
  }

  /**
   * The fast read of a well-formed document (json-spans.ts): null when it read to the end, else the bytes read when
   * it stopped, for stream-json to read the document from its start.
   */
  private async scan(it: AsyncIterator<Buffer>, progress: (bytes: number) => void, between: () => void): Promise<number | null> {
    const scanner = new SignInScanner((value, line, lone) => {
      if (lone && !looksLikeSignIn(value)) return false;
      this.seen++;
      takeSignIn(this.ctx, fieldsOf(value), line, this.tally);
      between();
      return true;
    });
    let bytes = 0;
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        bytes += r.value.length;
        const going = scanner.feed(r.value);
        this.line = scanner.line;
        progress(bytes);
        if (!going) return bytes;
      }
    } catch (err) {
      await it.return?.();
      throw err;
    }
    return scanner.end() ? null : bytes;
  }

  /** One read through the tokens; the parser's error, if any. */
  private async pass(
    chunks: AsyncIterable<Buffer | string>, between: () => void, fed: (chunk: Buffer | string) => void,
  ): Promise<Error | null> {
    const tokens = parser.asStream({ jsonStreaming: true, streamValues: false });
    const done = settled(tokens);
    let failure: Error | null = null;
    tokens.on('data', (t: Token) => {
      this.token(t);
      if (this.record === null) between();
    });
    tokens.on('error', (e: Error) => (failure ??= e));
    for await (const chunk of chunks) {
      if (failure !== null) break;
      await write(tokens, chunk);
      fed(chunk);
    }
    if (!tokens.destroyed) tokens.end();
    await done;
    return failure;
  }

  /** Back to the start of the document, or to a place where reading resumes, for another read. */
  private reset(resumed: boolean): void {
    this.resumed = resumed;
    this.skip = 0;
    this.frames.length = 0;
    this.record = null;
    this.shell = null;
    this.valueKey = false;
    this.sawPage = false;
    this.seen = 0;
  }

  private token(t: Token): void {
    if (this.record !== null) {
      this.record.consume(t);
      if (this.record.done) {
        this.signIn(this.record.current);
        this.record = null;
      }
      return;
    }
    const depth = this.frames.length;
    switch (t.name) {
      case 'startObject':
        if ((depth === 1 && this.frames[0] === 'array') || (depth === 2 && this.frames[1] === 'value')) {
          this.record = new Assembler();
          this.record.consume(t);
          return;
        }
        if (depth === 0) {
          this.shell = new Assembler();
          this.sawPage = false;
        }
        this.frames.push('object');
        this.shellToken(t);
        return;
      case 'startArray':
        if (depth === 1 && this.valueKey) {
          this.valueKey = false;
          this.sawPage = true;
          this.frames.push('value');
          return;
        }
        this.frames.push('array');
        if (depth > 0) this.shellToken(t);
        return;
      case 'endObject':
      case 'endArray': {
        const frame = this.frames.pop();
        if (frame === 'value') return;
        if (this.frames.length > 0) return this.shellToken(t);
        if (frame === 'object') this.endTopObject(t);
        return;
      }
      case 'keyValue':
        if (depth === 1 && this.frames[0] === 'object' && String(t.value).toLowerCase() === 'value') {
          this.valueKey = true;
          return;
        }
        return this.shellToken(t);
      default:
        if (this.resumed) return this.shellToken(t);
        if (depth > 0 && this.frames[depth - 1] === 'value') {
          this.ctx.diags.add('bad_record', this.line, 'a value in a sign-in list that is not an object');
          return;
        }
        if (depth === 1 && this.frames[0] === 'array') {
          this.ctx.diags.add('bad_record', this.line, 'an array element that is not a sign-in object');
          return;
        }
        this.shellToken(t);
    }
  }

  /** Members of a top-level object other than a page's `value` (a key `value` holding no array is kept too). */
  private shellToken(t: Token): void {
    if (this.shell === null) return;
    if (this.valueKey) {
      this.valueKey = false;
      this.shell.consume({ name: 'keyValue', value: 'value' });
    }
    this.shell.consume(t);
  }

  private endTopObject(t: Token): void {
    const shell = this.shell;
    this.shell = null;
    if (shell === null) return;
    shell.consume(t);
    if (this.sawPage) return; // a Graph page: its sign-ins were counted one by one
    const obj = shell.current as Record<string, unknown>;
    if (looksLikeSignIn(obj)) this.signIn(obj);
    else if (!this.resumed) this.ctx.diags.add('bad_record', this.line, 'a JSON object that is neither a sign-in nor a page of sign-ins');
  }

  private signIn(value: unknown): void {
    if (this.seen++ < this.skip) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    if (this.resumed && !looksLikeSignIn(value as Record<string, unknown>)) return;
    takeSignIn(this.ctx, fieldsOf(value as Record<string, unknown>), this.line, this.tally);
  }
}

/** The input's first `upTo` bytes read again, then the rest of the first read. */
async function* replay(again: Reopen, upTo: number, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    let left = upTo;
    if (left > 0) {
      for await (const chunk of again(0)) {
        yield chunk.length >= left ? chunk.subarray(0, left) : chunk;
        left -= chunk.length;
        if (left <= 0) break;
      }
    }
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  } finally {
    await rest.return?.();
  }
}

export const entraJsonFormat: FormatDef = {
  name: 'entra-signin-json',
  sniff: looksLikeSignInDocument,
  create() {
    throw new Error('entra-signin-json is a document format: read with document()');
  },
  document: (ctx) => new DocumentParser(ctx),
};
