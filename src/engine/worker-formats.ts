// The formats a parse worker reads: plain-text logs whose parsers need nothing from the database. Exchange
// SMTP and POP3/IMAP4 logs come with their format's pending sessions (the scheduler keeps their files in order).
import { exchangePopImapFormat } from '../formats/exchange-pop-imap.js';
import { exchangeSmtpFormat } from '../formats/exchange-smtp.js';
import { httpErrFormat } from '../formats/httperr.js';
import { iisW3cFormat } from '../formats/iis-w3c.js';
import type { FormatDef } from '../formats/types.js';

export const WORKER_FORMATS: ReadonlyMap<string, FormatDef> = new Map(
  [iisW3cFormat, httpErrFormat, exchangeSmtpFormat, exchangePopImapFormat].map((f) => [f.name, f]),
);
