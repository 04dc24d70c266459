// A UTF-16 text file (Windows PowerShell's `Out-File` and `>` write UTF-16 LE with a byte order mark: a Graph sign-in
// export piped to a file, a CSV saved that way) read as UTF-8, like a compressed file: its UTF-8 bytes are made as it
// is read, their number is unknown until the end, and it is known again by its own bytes (inputs.ts). The content of
// a .gz file or zip entry goes through the same (asUtf8).
import { StringDecoder } from 'node:string_decoder';
import chain from 'stream-chain';

/** The byte order of a UTF-16 byte order mark at the start of `head`, or null. */
export function utf16Order(head: Buffer): 'le' | 'be' | null {
  if (head.length < 2) return null;
  if (head[0] === 0xff && head[1] === 0xfe) return head.length >= 4 && head[2] === 0 && head[3] === 0 ? null : 'le'; // not UTF-32 LE
  if (head[0] === 0xfe && head[1] === 0xff) return 'be';
  return null;
}

/**
 * A stream-chain stage turning UTF-16 bytes (`order`) into UTF-8, in chunks cut anywhere (an odd byte, half a
 * surrogate pair wait for the next chunk); the byte order mark is dropped. Unpaired surrogates become U+FFFD.
 */
export function utf16ToUtf8(order: 'le' | 'be'): (chunk: Buffer) => Buffer | typeof chain.none {
  const decoder = new StringDecoder('utf16le');
  let odd: Buffer | null = null; // big-endian: a byte waiting for its pair
  let first = true;
  let high = '';
  return (chunk) => {
    let bytes = chunk;
    if (order === 'be') {
      if (odd !== null) bytes = Buffer.concat([odd, bytes]);
      const even = bytes.length & ~1;
      odd = even < bytes.length ? Buffer.from(bytes.subarray(even)) : null;
      bytes = Buffer.from(bytes.subarray(0, even)).swap16();
    }
    let text = high + decoder.write(bytes);
    high = '';
    // the decoder can end a piece with the first half of a surrogate pair: kept for its second half
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      high = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text.length === 0 ? chain.none : Buffer.from(text, 'utf8');
  };
}

/**
 * A stream-chain stage for a compressed file's content: UTF-16 (told by its byte order mark at the start) turned into
 * UTF-8, anything else passed on as it is.
 */
export function asUtf8(): (chunk: Buffer) => Buffer | typeof chain.none {
  let stage: ((chunk: Buffer) => Buffer | typeof chain.none) | null = null;
  return (chunk) => {
    if (stage === null) {
      if (chunk.length === 0) return chain.none;
      const order = utf16Order(chunk);
      stage = order === null ? (c) => c : utf16ToUtf8(order);
    }
    return stage(chunk);
  };
}
