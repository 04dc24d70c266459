// `tls-census scan <path…>`: read logs into the database, then print the summary.
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { DEFAULT_SCAN, scan } from '../engine/scan.js';
import { readSummary } from '../report/summary.js';
import { formatText, num } from '../report/text.js';
import { openDatabase } from '../store/open-database.js';
import { Store } from '../store/store.js';
import { parseFieldMap, parsePeriod, positiveInt } from './options.js';
import { startProgress } from './progress.js';
import { useColor } from './report-command.js';

interface ScanArgs {
  paths: string[];
  db: string;
  'field-map'?: string[];
  period?: string;
  quiet: boolean;
  top: number;
}

/** At most this many "first bad line" warnings are printed per scan; all are counted in the database. */
const MAX_WARNINGS = 50;

export function scanCommand(_setCode: (c: number) => void): CommandModule<object, ScanArgs> {
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
        .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
        .option('top', { type: 'number', default: 20, describe: 'How many legacy clients the summary lists' }),
    handler: async (args) => {
      const fieldMap = parseFieldMap(args['field-map']);
      const top = positiveInt('--top', args.top);
      const reportPeriod = parsePeriod(args.period);
      const db = openDatabase(args.db);
      let warnings = 0;
      const progress = await startProgress(args.paths, { quiet: args.quiet, stream: process.stderr });
      try {
        const stats = await scan(new Store(db), {
          ...DEFAULT_SCAN,
          paths: args.paths,
          fieldMap,
          reportPeriod,
          now: new Date(),
          exclude: [resolve(args.db)],
          onDiagnostic: (file, line, code, message) => {
            if (args.quiet || ++warnings > MAX_WARNINGS) return;
            const where = line > 0 ? `${file}:${line}` : file;
            progress.log(`tls-census: warning: ${where}: ${code}: ${message}\n`);
          },
          onProgress: progress.onProgress,
        });
        progress.stop();
        if (args.quiet) return;
        if (warnings > MAX_WARNINGS) {
          process.stderr.write(`tls-census: ${warnings - MAX_WARNINGS} more warnings not shown (table diagnostics)\n`);
        }
        process.stdout.write(
          `Scanned: ${num(stats.filesRead)} files with new data, ${num(stats.filesUnchanged)} unchanged, ` +
            `${num(stats.filesSkipped)} skipped, ${num(stats.filesFailed)} unreadable; ` +
            `${num(stats.lines)} new lines (${num(stats.badLines)} bad)` +
            (stats.heldBack > 0 ? `; ${stats.heldBack} unfinished last line(s) left for the next scan` : '') +
            '\n\n',
        );
        process.stdout.write(formatText(readSummary(db, { top }), { db: args.db, color: useColor(process.stdout) }));
      } finally {
        progress.stop();
        db.close();
      }
    },
  };
}
