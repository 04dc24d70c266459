// The formats a parse worker reads: plain-text logs whose parsers need nothing from the database. Exchange
// SMTP and POP3/IMAP4 logs come with their format's pending sessions (the scheduler keeps their files in order). Imported
// by the worker and the scheduler alike (no side effect at import).
import { exchangePopImapFormat } from '../formats/exchange-pop-imap.js';
import { exchangeSmtpFormat } from '../formats/exchange-smtp.js';
import { httpErrFormat } from '../formats/httperr.js';
import { iisW3cFormat } from '../formats/iis-w3c.js';
import type { FormatDef } from '../formats/types.js';

export const WORKER_FORMATS: ReadonlyMap<string, FormatDef> = new Map(
  [iisW3cFormat, httpErrFormat, exchangeSmtpFormat, exchangePopImapFormat].map((f) => [f.name, f]),
);

/**
 * Why a file of a chain fails when the file before it failed or did not leave its sessions on the worker (it would
 * start from that file's sessions): the worker's message and the scheduler's, one text.
 */
export const CHAIN_BROKEN = 'the previous file of its chain could not be read in this scan; it is read again by the next';
