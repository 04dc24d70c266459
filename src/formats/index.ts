// The input formats tls-census reads, tried in order on each file's first lines; the first that claims it wins.
import { exoConnectorReportFormat } from './exo-connector-report.js';
import { exoSmtpAuthReportFormat } from './exo-smtp-auth-report.js';
import { exchangePopImapFormat } from './exchange-pop-imap.js';
import { exchangeSmtpFormat } from './exchange-smtp.js';
import { httpErrFormat } from './httperr.js';
import { iisW3cFormat } from './iis-w3c.js';
import { entraJsonFormat } from './entra/document.js';
import { entraLogAnalyticsCsvFormat } from './entra/log-analytics-csv.js';
import { entraNdjsonFormat } from './entra/ndjson.js';
import type { FormatDef } from './types.js';

// HTTP.sys before IIS: both are W3C, and only the #Software line tells them apart.
export const FORMATS: readonly FormatDef[] = [
  httpErrFormat, exchangeSmtpFormat, exchangePopImapFormat, iisW3cFormat, exoSmtpAuthReportFormat, exoConnectorReportFormat,
  // NDJSON before the JSON document: its first line is a whole sign-in, a document's is not (or is a whole page)
  entraNdjsonFormat, entraJsonFormat, entraLogAnalyticsCsvFormat,
];

export function formatByName(name: string): FormatDef | undefined {
  return FORMATS.find((f) => f.name === name);
}
