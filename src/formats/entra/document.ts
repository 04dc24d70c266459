// Entra ID sign-ins in one JSON document, streamed with stream-json (never the whole file in memory):
// a Microsoft Graph auditLogs/signIns page `{"@odata.context", "value": [ … ], "@odata.nextLink"}`, the admin
// center's "Download JSON" (a bare array), Log Analytics JSON (an array of rows), or sign-in objects one after
// another. Malformed JSON stops the file at that point (exact line and column found by stream-json's verifier);
// a truncated download keeps every sign-in before the cut. Both are counted as diagnostics; other files go on.
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/parser.js';
import verifier from 'stream-json/utils/verifier.js';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { DocumentReader, FormatDef, ParseContext } from '../types.js';
import { fieldsOf, freshTally, takeSignIn, type SignInTally } from './signin.js';
import { looksLikeSignIn, looksLikeSignInDocument } from './sniff.js';

interface Token {
  readonly name: string;
  readonly value?: unknown;
}

/** Containers open outside a sign-in: a top-level array or object, or the `value` array of a Graph page. */
type Frame = 'array' | 'object' | 'value';

/** Resolves once the stream has closed (at once if it already has: an errored stream closes before its last write returns). */
const closed = (s: Duplex): Promise<void> => (s.closed ? Promise.resolve() : new Promise((res) => s.once('close', () => res())));

/** Writes one chunk and waits until the stream has taken it. */
const write = (s: Duplex, chunk: Buffer | string): Promise<void> => new Promise((res) => s.write(chunk, () => res()));

/** Where JSON stops parsing, from stream-json's verifier (a second read, only of a broken file): offsets in characters. */
async function locateError(chunks: AsyncIterable<Buffer>): Promise<{ line: number; pos: number; offset: number; chars: number } | null> {
  const v = verifier.asStream({ jsonStreaming: true });
  let found: { line: number; pos: number; offset: number } | null = null;
  v.on('error', (e: verifier.VerifierError) => (found = { line: e.line, pos: e.pos, offset: e.offset }));
  v.on('data', () => undefined);
  const decoder = new StringDecoder('utf8');
  let chars = 0;
  for await (const chunk of chunks) {
    if (found !== null) break;
    const text = decoder.write(chunk);
    chars += text.length;
    await write(v, text);
  }
  if (!v.destroyed) v.end();
  await closed(v);
  const at = found as { line: number; pos: number; offset: number } | null;
  return at === null ? null : { ...at, chars };
}

/** The text of `chunks` up to `limit` characters (BOM dropped). */
async function* upTo(chunks: AsyncIterable<Buffer>, limit: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let left = limit;
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text.length >= left) {
      yield text.slice(0, left);
      return;
    }
    left -= text.length;
    yield text;
  }
}

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
    chunks: AsyncIterable<Buffer>, progress: (bytes: number) => void, between: () => void, again?: () => AsyncIterable<Buffer>,
  ): Promise<void> {
    let bytes = 0;
    let first = true;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const raw of chunks) {
        const chunk = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
        first = false;
        yield chunk;
        bytes += raw.length;
        progress(bytes);
      }
    }
    const failure = await this.pass(counted(), between, (chunk) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.line++;
    });
    if (failure === null) {
      if (this.frames.length > 0 || this.record !== null) this.truncated(`at byte ${bytes}`);
      return;
    }
    // stream-json drops the tokens of the chunk it fails in: find the exact place, then read up to it again,
    // skipping the sign-ins already taken
    const at = again === undefined ? null : await locateError(again()).catch(() => null);
    if (at === null) {
      this.ctx.diags.add('bad_json', this.line, `malformed JSON (${failure.message}); the ${this.tally.counted} sign-ins before it were read`);
      return;
    }
    if (again !== undefined) {
      const skip = this.seen;
      this.reset();
      this.skip = skip;
      await this.pass(upTo(again(), at.offset), between, () => undefined);
    }
    this.line = at.line;
    if (at.offset >= at.chars) {
      this.truncated(`at line ${at.line}, column ${at.pos}`);
      return;
    }
    this.ctx.diags.add('bad_json', at.line,
      `malformed JSON at line ${at.line}, column ${at.pos}: ${failure.message.replace(/^Parser cannot parse input: /, '')}; the ${this.tally.counted} sign-ins before it were read, the rest of the file was not`);
  }

  private truncated(where: string): void {
    this.ctx.diags.add('truncated', this.line,
      `the JSON ends ${this.record !== null ? 'inside a sign-in' : 'before the document is complete'} ${where} (an interrupted download?): the ${this.tally.counted} sign-ins before the cut were read`);
  }

  /** One read through the tokens; the parser's error, if any. */
  private async pass(
    chunks: AsyncIterable<Buffer | string>, between: () => void, fed: (chunk: Buffer) => void,
  ): Promise<Error | null> {
    const tokens = parser.asStream({ jsonStreaming: true, streamValues: false });
    let failure: Error | null = null;
    tokens.on('data', (t: Token) => {
      this.token(t);
      if (this.record === null) between();
    });
    tokens.on('error', (e: Error) => (failure ??= e));
    for await (const chunk of chunks) {
      if (failure !== null) break;
      await write(tokens, chunk);
      if (typeof chunk !== 'string') fed(chunk);
    }
    if (!tokens.destroyed) tokens.end();
    await closed(tokens);
    return failure;
  }

  /** Back to the start of the document, for a second read. */
  private reset(): void {
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
    else this.ctx.diags.add('bad_record', this.line, 'a JSON object that is neither a sign-in nor a page of sign-ins');
  }

  private signIn(value: unknown): void {
    if (this.seen++ < this.skip) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    takeSignIn(this.ctx, fieldsOf(value as Record<string, unknown>), this.line, this.tally);
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
