// `tls-census report`: a database as text, Markdown, JSON, CSV or HTML, for a window, to stdout or --out FILE.
// Colour only for text on a terminal, never with NO_COLOR; the database is opened read-only.
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { refreshClients } from '../store/classify-clients.js';
import { CensusError } from '../errors.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/formatters.js';
import { pseudonymizer } from '../report/redact.js';
import { renderReport } from '../report/render.js';
import { withKeyedUsage } from '../report/keyed-usage.js';
import { openDatabase } from '../store/open-database.js';
import { positiveInt } from './options.js';
import { FILTER_OPTIONS, filterSpec, type ReportFlags } from './report-options.js';
import { NIGHTLY_OPTIONS, nightlyOptions, type NightlyFlags } from './nightly.js';
import { activeExceptions } from '../exceptions/exception-store.js';
import { nightlyVerdict, type ThresholdVerdict } from '../report/threshold-verdict.js';
import { resolveFilter } from '../report/filter.js';
import { badLinePercentStored } from '../report/thresholds.js';

interface ReportArgs extends ReportFlags, NightlyFlags {
  'since-last-scan': boolean;
  db: string;
  format: string;
  out?: string;
  redact: boolean;
}

/** NO_COLOR (https://no-color.org): present and not empty turns colour off. */
export function useColor(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

export function reportCommand(setCode: (c: number) => void): CommandModule<object, ReportArgs> {
  return {
    command: 'report',
    describe: 'Report on a database: verdicts per site, protocol shares, legacy clients, problems',
    builder: (y) =>
      y
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database written by scan' })
        .option('format', { type: 'string', default: 'text', choices: REPORT_FORMATS, describe: 'Report format' })
        .option('out', { type: 'string', describe: 'Write the report to this file instead of stdout' })
        .option('top', { type: 'number', describe: 'List only the N legacy clients with most hits (text, markdown: 20)' })
        .options(FILTER_OPTIONS)
        .option('redact', { type: 'boolean', default: false, describe: 'Replace user names and addresses with pseudonyms' })
        .option('since-last-scan', {
          type: 'boolean',
          default: false,
          describe: 'Only what changed: new legacy clients of the last scan, clients gone or moved to TLS 1.2',
        })
        .options(NIGHTLY_OPTIONS),
    handler: (args) => {
      const format = args.format as ReportFormat;
      const filter = filterSpec(args);
      const top = args.top === undefined ? undefined : positiveInt('--top', args.top);
      const nightly = nightlyOptions(args);
      const sinceLastScan = args['since-last-scan'];
      refreshClients(args.db); // best effort, before the read-only open: schema and user agents up to date
      const db = openDatabase(args.db, { readonly: true });
      let out: { text: string; verdict: ThresholdVerdict | null };
      try {
        // the thresholds and the report read the rows summed per key once (report/keyed-usage.ts)
        out = withKeyedUsage(db, () => {
          const verdict = sinceLastScan || nightly.failOnLegacy !== null || nightly.failOnBadLines !== null
            ? nightlyVerdict(db, nightly, {
              filter: resolveFilter(db, filter), badLines: badLinePercentStored(db), now: new Date(), top: top ?? 20,
              text: sinceLastScan,
            })
            : null;
          const text = sinceLastScan && verdict !== null ? verdict.text : renderReport(db, {
            format,
            filter,
            top,
            redact: args.redact ? pseudonymizer() : undefined,
            db: args.db,
            color: format === 'text' && args.out === undefined && useColor(process.stdout),
            exceptions: activeExceptions(db, nightly.exceptionsFile, new Date()),
            minDays: nightly.minDays,
          });
          return { text, verdict };
        });
      } finally {
        db.close();
      }
      const { text, verdict } = out;
      for (const line of verdict?.tripped ?? []) process.stderr.write(`tls-census: threshold: ${line}\n`);
      setCode(verdict?.code ?? 0);
      if (args.out === undefined) {
        process.stdout.write(text);
        return;
      }
      try {
        writeFileSync(args.out, text);
      } catch (err) {
        throw new CensusError('OUTPUT_FAILED', `cannot write --out ${args.out}: ${(err as Error).message}`);
      }
    },
  };
}
