// Report formatters by name: each is a pure function Summary → text (habit 8), chosen by --format.
// Which formats list every legacy client by default, and which the top 20, is decided here too.
import { formatCsv } from './csv.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatMarkdown, formatPlan } from './markdown.js';
import type { FormatOptions, Summary } from './model.js';
import { formatText } from './text.js';

export type Formatter = (s: Summary, opts: FormatOptions) => string;

export const FORMATTERS = {
  text: formatText,
  markdown: formatMarkdown,
  json: formatJson,
  csv: formatCsv,
  html: formatHtml,
  plan: formatPlan,
} as const satisfies Record<string, Formatter>;

export type ReportFormat = keyof typeof FORMATTERS;

export const REPORT_FORMATS = Object.keys(FORMATTERS) as ReportFormat[];

/** Text and Markdown are read by people: the top 20 unless --top says otherwise; the rest list every client. */
export const DEFAULT_TOP: Readonly<Record<ReportFormat, number | null>> = {
  text: 20,
  markdown: 20,
  json: null,
  csv: null,
  html: null,
  plan: null,
};
