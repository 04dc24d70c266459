// Decides a file's format from its first bytes (directives or a header row), never from its name; for a file without
// directives, the default layout it fits (Exchange) or the one `scan --fields` gives (W3C).
import { inferExchangeLayout, type LogType } from '../formats/default-layouts.js';
import type { FormatDef } from '../formats/types.js';
import { takesW3cFields, w3cLayoutFromOption } from '../formats/w3c-fields.js';
import { PLAIN_HEAD_BYTES } from '../sources/plain-input.js';

export const HEAD_BYTES = PLAIN_HEAD_BYTES;
const HEAD_LINES = 200;

/**
 * A format, and for a file without directives the parser state to start from (the default fields) and how they were
 * known (files.layout); or why the file is skipped.
 */
export type Sniffed =
  | { readonly format: FormatDef; readonly start?: { readonly state: unknown; readonly layout: string } }
  | { readonly skip: string };

/** What tells a file without directives apart: its folders (from the scanned path down), `--log-type`, `--fields`. */
export interface SniffHints {
  readonly folders: readonly string[];
  readonly logType: LogType | null;
  /** --fields: the W3C field names for IIS and HTTP.sys files without #Fields of their own (checked by the CLI). */
  readonly fields?: readonly string[] | null;
}

export function headLines(head: Buffer): string[] {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split('\n', HEAD_LINES).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** headLines without the last, which the head may have cut (FormatDef.sessionChain reads whole lines only). */
export function wholeHeadLines(head: Buffer): string[] {
  return headLines(head).slice(0, -1);
}

export function sniff(head: Buffer, formats: readonly FormatDef[], hints: SniffHints = { folders: [], logType: null }): Sniffed {
  if (head.length === 0) return { skip: 'empty file' };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return { skip: 'UTF-16 text: save the log as UTF-8 or ANSI' };
  }
  const lines = headLines(head);
  const given = hints.fields ?? null;
  const ownFields = lines.some((l) => /^#\s*Fields\s*:/i.test(l));
  for (const format of formats) {
    if (!format.sniff(lines)) continue;
    // an IIS or HTTP.sys header without #Fields: the --fields list, as for a file without directives
    return given !== null && !ownFields && takesW3cFields(format.name) ? started(format, lines, given) : { format };
  }
  const directives = lines.some((l) => /^#\s*(Fields|Software)\s*:/i.test(l));
  if (!lines.some((l) => l.startsWith('#'))) {
    const inferred = inferExchangeLayout(lines, hints.folders, hints.logType);
    if (inferred !== null && 'skip' in inferred) return inferred;
    const format = inferred === null ? undefined : formats.find((f) => f.name === inferred.format);
    if (inferred !== null && format !== undefined) return { format, start: { state: inferred.state, layout: inferred.layout } };
  }
  if (given !== null && !ownFields && !directives) {
    // the format a #Fields line with these names would be (HTTP.sys when it names c-port and s-reason, else IIS)
    const format = formats.find((f) => takesW3cFields(f.name) && f.sniff([`#Fields: ${given.join(' ')}`]));
    if (format !== undefined) return started(format, lines, given);
  }
  if (portalSignIns(lines)) {
    return { skip: 'an Entra admin center CSV download of sign-ins: it holds no TLS details (the legacy TLS flag is in ' +
      'authenticationProcessingDetails): use its "Download JSON", or a Log Analytics export with AuthenticationProcessingDetails' };
  }
  const logType = lines.find((l) => /^#Log-type\s*:/i.test(l))?.replace(/^#Log-type\s*:\s*/i, '').trim().slice(0, 80);
  return {
    skip: logType
      ? `an Exchange "${logType}" (#Log-type), not a log tls-census reads: TLS versions are in the protocol logs (SmtpReceive, SmtpSend, Pop3, Imap4)`
      : directives
        ? 'unrecognized log directives (not an IIS, HTTP.sys, Exchange or Exchange Online log)'
        : 'not a recognized log: no #Software/#Fields directives or report header, and its lines fit no Exchange default layout',
  };
}

/** `format` read with the --fields list from the start, or skipped when the lines do not fit it. */
function started(format: FormatDef, lines: readonly string[], names: readonly string[]): Sniffed {
  const d = w3cLayoutFromOption(format.name, lines, names);
  return 'skip' in d ? d : { format, start: { state: d.state, layout: d.layout } };
}

/** The header of the sign-in log blade's "Download CSV" (`Date (UTC)`, `Request ID`, …), without processing details. */
function portalSignIns(lines: readonly string[]): boolean {
  const header = lines.find((l) => l.trim() !== '') ?? '';
  return /(^|[,;\t])"?Date \(UTC\)"?([,;\t]|$)/i.test(header) && /(^|[,;\t])"?Request ID"?([,;\t]|$)/i.test(header) &&
    !/processing details/i.test(header);
}
