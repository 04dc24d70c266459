// `tls-census scan <path…>`: read logs into the database under the scan lock and a run record, then print the
// summary, what changed since the previous run, and the threshold verdicts (exit 1 when one trips).
import { LOG_TYPES, type LogType } from '../formats/default-layouts.js';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { DEFAULT_SCAN, scan } from '../engine/scan.js';
import { defaultJobs } from '../engine/worker-pool.js';
import { resolveFilter } from '../report/filter.js';
import { readSummary } from '../report/summary.js';
import { formatText, num } from '../report/text.js';
import { closeOrDiscard, noteNewDatabase } from '../store/discard-new.js';
import { openDatabase } from '../store/open-database.js';
import { checkPathsExist } from '../sources/walk.js';
import { resetForFull } from '../store/full-reset.js';
import { Store } from '../store/store.js';
import { percentOf } from '../report/thresholds.js';
import { activeExceptions } from '../exceptions/exception-store.js';
import { nightlyVerdict } from '../report/threshold-verdict.js';
import { NIGHTLY_OPTIONS, nightlyOptions, type NightlyFlags } from './nightly.js';
import { boundHeapGrowth } from './heap-growth.js';
import { parseFieldMap, parsePeriod, parseServerName, parseW3cFieldsOption, positiveInt, tenantName } from './options.js';
import { serverNamesText } from './server-names.js';
import { startProgress } from './progress.js';
import { useColor } from './report-command.js';
import { filterSpec, THRESHOLD_FILTER_OPTIONS, type ReportFlags } from './report-options.js';
import { WAIT_OPTION, waitSeconds, withWriteRun } from './write-run.js';
import { withKeyedUsage } from '../report/keyed-usage.js';

interface ScanArgs extends ReportFlags, NightlyFlags {
  paths: string[];
  full: boolean;
  wait: number;
  'flush-lines'?: number;
  jobs?: number;
  db: string;
  'field-map'?: string[];
  period?: string;
  'server-name'?: string;
  tenant?: string;
  'log-type'?: string;
  fields?: string;
  quiet: boolean;
  top: number;
}

/** At most this many "first bad line" warnings are printed per scan; all are counted in the database. */
const MAX_WARNINGS = 50;

export function scanCommand(setCode: (c: number) => void): CommandModule<object, ScanArgs> {
  return {
    command: 'scan <paths..>',
    describe: 'Scan log files and folders (recursively; .gz and .zip read in place) into the database',
    builder: (y) =>
      y
        .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Files or folders' })
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database to create or update' })
        .option('field-map', {
          type: 'string',
          array: true,
          describe: 'Custom TLS field names, e.g. crypt-protocol=TLSProto,crypt-cipher=TLSCipher',
        })
        .option('period', {
          type: 'string',
          describe: 'Days an Exchange Online SMTP AUTH report export covers (it holds no dates): START..END, ' +
            'e.g. 2024-03-04..2024-03-10; else a date in the file name, else its modification day',
        })
        .option('server-name', {
          type: 'string',
          describe: 'Server name for files whose path and lines name none (default: this machine\'s host name); ' +
            'a logged s-computername or SMTP connector id and a server folder (EXCH01\\W3SVC1) win over it',
        })
        .option('tenant', {
          type: 'string',
          describe: 'Name for the tenant of Entra ID sign-in exports (usage.server); else the tenant id in the data, else "Entra ID"',
        })
        .option('log-type', {
          type: 'string',
          choices: LOG_TYPES,
          describe: 'Which Exchange log a file without directives is, when neither its folder nor a TLS line tells',
        })
        .option('fields', {
          type: 'string',
          describe: 'W3C field names for IIS and HTTP.sys logs without a #Fields line of their own, space- or ' +
            'comma-separated, e.g. "date time s-ip cs-method cs-uri-stem …"; files with their own #Fields ignore it',
        })
        .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
        .option('top', { type: 'number', default: 20, describe: 'How many legacy clients the summary lists' })
        .option('full', {
          type: 'boolean',
          default: false,
          describe: 'Forget every stored read position and log-derived count, then read the paths from the start',
        })
        .option('wait', WAIT_OPTION)
        .options(THRESHOLD_FILTER_OPTIONS)
        .options(NIGHTLY_OPTIONS)
        .option('flush-lines', { type: 'number', hidden: true, describe: 'Commit at least every N lines (tests)' })
        .option('jobs', { type: 'number', describe: 'Parse workers for IIS logs (default: all cores; 1: no workers)' }),
    handler: async (args) => {
      const filter = filterSpec(args);
      const nightly = nightlyOptions(args);
      const wait = waitSeconds(args.wait);
      const flushLines = args['flush-lines'] === undefined ? DEFAULT_SCAN.flushLines : positiveInt('--flush-lines', args['flush-lines']);
      const jobs = args.jobs === undefined ? defaultJobs() : positiveInt('--jobs', args.jobs);
      const fieldMap = parseFieldMap(args['field-map']);
      const fields = parseW3cFieldsOption(args.fields, fieldMap);
      const top = positiveInt('--top', args.top);
      const reportPeriod = parsePeriod(args.period);
      const serverName = parseServerName(args['server-name']);
      const tenant = args.tenant === undefined ? undefined : tenantName(args.tenant);
      // Before the database exists: a mistyped path leaves nothing behind
      await checkPathsExist(args.paths);
      const fresh = noteNewDatabase(args.db);
      boundHeapGrowth();
      const db = openDatabase(args.db);
      let warnings = 0;
      let failed = true;
      const progress = await startProgress(args.paths, { quiet: args.quiet, stream: process.stderr });
      try {
        const command = args.full ? 'scan --full' : 'scan';
        const store = new Store(db);
        // after --full, the reset removed rows on days it did not write: the run's end reads every row
        const writtenDays = (): ReadonlySet<string> | undefined => (args.full ? undefined : store.writtenDays());
        const run = await withWriteRun(args.db, db, { command, paths: args.paths, waitSeconds: wait, writtenDays }, (scanId) => {
          if (args.full) resetForFull(db);
          return scan(store, {
            ...DEFAULT_SCAN,
            flushLines,
            jobs,
            scanId,
            paths: args.paths,
            fieldMap,
            reportPeriod,
            serverName,
            tenant,
            logType: args['log-type'] as LogType | undefined,
            fields,
            now: new Date(),
            exclude: [resolve(args.db)],
            onDiagnostic: (file, line, code, message) => {
              if (args.quiet || ++warnings > MAX_WARNINGS) return;
              const where = line > 0 ? `${file}:${line}` : file;
              progress.log(`tls-census: warning: ${where}: ${code}: ${message}\n`);
            },
            onProgress: progress.onProgress,
          });
        });
        const stats = run.result;
        progress.stop();
        // the thresholds, the summary and what changed read the rows summed per key once (report/keyed-usage.ts)
        const printed = withKeyedUsage(db, () => {
          const verdict = nightlyVerdict(db, nightly, {
            filter: resolveFilter(db, filter), badLines: percentOf(stats.lines, stats.badLines), now: new Date(), top,
            text: !args.quiet,
          });
          for (const line of verdict.tripped) process.stderr.write(`tls-census: threshold: ${line}\n`);
          setCode(verdict.code);
          if (args.quiet) return false;
          if (warnings > MAX_WARNINGS) {
            process.stderr.write(`tls-census: ${warnings - MAX_WARNINGS} more warnings not shown (table diagnostics)\n`);
          }
          process.stdout.write(
            `Scanned: ${num(stats.filesRead)} files with new data, ${num(stats.filesUnchanged)} unchanged, ` +
              `${num(stats.filesSkipped)} skipped, ${num(stats.filesFailed)} unreadable; ` +
              `${num(stats.lines)} new lines (${num(stats.badLines)} bad)` +
              (stats.heldBack > 0 ? `; ${stats.heldBack} unfinished last line(s) left for the next scan` : '') +
              '\n',
          );
          process.stdout.write(serverNamesText(stats.serverNames) + '\n');
          const exceptions = activeExceptions(db, nightly.exceptionsFile, new Date());
          process.stdout.write(formatText(readSummary(db, { top, exceptions, minDays: nightly.minDays }), { db: args.db, color: useColor(process.stdout) }));
          process.stdout.write(`\n${verdict.text}`);
          return true;
        });
        if (!printed) return;
        failed = false;
      } finally {
        progress.stop();
        if (failed) closeOrDiscard(db, fresh);
        else db.close();
      }
    },
  };
}
