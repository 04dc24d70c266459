// Reading a JSON document again after it broke: its text from a byte position (as strings, for stream-json), the exact
// place where JSON stops parsing (stream-json's verifier), and the next place a sign-in object may start, where the
// reader picks up again. Plain text scans over a stream; nothing here knows about sign-ins beyond the JSON shape.
import verifier from 'stream-json/utils/verifier.js';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The input again, from a byte position. */
export type Reopen = (start: number) => AsyncIterable<Buffer>;

/**
 * Resolves once the stream has closed or failed. Taken when the stream is made: an error found only when the input
 * ends comes after end() returns, and one found while writing may close the stream before a later look.
 */
export const settled = (s: Duplex): Promise<void> =>
  new Promise((res) => {
    s.once('close', () => res());
    s.once('error', () => res());
  });

/** Writes one chunk and waits until the stream has taken it. */
export const write = (s: Duplex, chunk: Buffer | string): Promise<void> => new Promise((res) => s.write(chunk, () => res()));

/** How far a read of text got: characters and bytes of the input (the prefix not counted), newlines among them, and its last character other than white space. */
export interface TextProgress {
  chars: number;
  bytes: number;
  newlines: number;
  last: string;
}

export const freshProgress = (): TextProgress => ({ chars: 0, bytes: 0, newlines: 0, last: '' });

const lastNonSpace = (text: string): string => {
  const t = text.trimEnd();
  return t === '' ? '' : t[t.length - 1];
};

/**
 * The input's text from byte `start` (a BOM at byte 0 dropped), after `prefix`, up to `limit` characters of the whole
 * (prefix included) when given. `into` counts what of the input was given out.
 */
export async function* textFrom(
  reopen: Reopen, start: number, prefix: string, limit: number | null, into: TextProgress,
): AsyncGenerator<string> {
  let left = limit ?? Infinity;
  if (prefix !== '') {
    yield prefix;
    left -= prefix.length;
  }
  const decoder = new StringDecoder('utf8');
  let first = start === 0;
  for await (const chunk of reopen(start)) {
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        into.bytes += 3;
      }
    }
    if (text.length >= left) text = text.slice(0, left);
    left -= text.length;
    into.chars += text.length;
    into.bytes += Buffer.byteLength(text);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) into.newlines++;
    into.last = lastNonSpace(text) || into.last;
    if (text.length > 0) yield text;
    if (left <= 0) return;
  }
}

/** Where JSON stops parsing in `text` (line and column 1-based, offset in characters from its start), or null. */
export interface JsonError {
  readonly line: number;
  readonly pos: number;
  readonly offset: number;
  /** Characters read: an offset at or past it means the text ended there (a cut, not a wrong character). */
  readonly chars: number;
}

export async function locateError(text: AsyncIterable<string>): Promise<JsonError | null> {
  const v = verifier.asStream({ jsonStreaming: true });
  const done = settled(v);
  let found: { line: number; pos: number; offset: number } | null = null;
  v.on('error', (e: verifier.VerifierError) => (found = { line: e.line, pos: e.pos, offset: e.offset }));
  v.on('data', () => undefined);
  let chars = 0;
  for await (const piece of text) {
    if (found !== null) break;
    chars += piece.length;
    await write(v, piece);
  }
  if (!v.destroyed) v.end();
  await done;
  const at = found as { line: number; pos: number; offset: number } | null;
  return at === null ? null : { ...at, chars };
}

/**
 * Where reading can go on: the next `{` at or after byte `from` that follows `,` or `[` (an element of an array: read
 * it inside an array again) or `}` or `]` (a value after a complete one: read it as a top-level value). Strings are
 * not tracked (the text is broken here), so a start may be false: the reader then drops what it finds there.
 * `previous`: the last character other than white space before `from`.
 */
export async function nextStart(
  reopen: Reopen, from: number, previous: string,
): Promise<{ readonly byte: number; readonly inArray: boolean; readonly newlines: number } | null> {
  const decoder = new StringDecoder('utf8');
  let byte = from;
  let newlines = 0;
  let before = previous;
  for await (const chunk of reopen(from)) {
    const text = decoder.write(chunk);
    let mark = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') newlines++;
      else if (c === '{' && (before === ',' || before === '[' || before === '}' || before === ']')) {
        return { byte: byte + Buffer.byteLength(text.slice(mark, i)), inArray: before === ',' || before === '[', newlines };
      }
      if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') before = c;
      if (i - mark > 65_536) {
        byte += Buffer.byteLength(text.slice(mark, i));
        mark = i;
      }
    }
    byte += Buffer.byteLength(text.slice(mark));
  }
  return null;
}
