// Decides a file's format from its first bytes (directives or a header row), never from its name.
import type { FormatDef } from '../formats/types.js';
import { PLAIN_HEAD_BYTES } from '../sources/plain-input.js';

export const HEAD_BYTES = PLAIN_HEAD_BYTES;
const HEAD_LINES = 200;

export type Sniffed = { readonly format: FormatDef } | { readonly skip: string };

export function headLines(head: Buffer): string[] {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split('\n', HEAD_LINES).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export function sniff(head: Buffer, formats: readonly FormatDef[]): Sniffed {
  if (head.length === 0) return { skip: 'empty file' };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return { skip: 'UTF-16 text: save the log as UTF-8 or ANSI' };
  }
  const lines = headLines(head);
  for (const format of formats) if (format.sniff(lines)) return { format };
  const directives = lines.some((l) => /^#\s*(Fields|Software)\s*:/i.test(l));
  return {
    skip: directives
      ? 'unrecognized log directives (not an IIS, HTTP.sys, Exchange or Exchange Online log)'
      : 'not a recognized log: no #Software/#Fields directives or report header (logs without directives are not read)',
  };
}
