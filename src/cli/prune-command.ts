// `tls-census prune --older-than 400d`: deletes usage days older than that before the newest day stored,
// under the scan lock and a run record. Checkpoints stay valid: pruned days never come back from a re-scan.
import type { CommandModule } from 'yargs';
import { num } from '../report/strings.js';
import { openDatabase } from '../store/open-database.js';
import { pruneOlderThan } from '../store/prune.js';
import { invalid } from './options.js';
import { WAIT_OPTION, waitSeconds, withWriteRun } from './write-run.js';

interface PruneArgs {
  db: string;
  'older-than': string;
  wait: number;
  quiet: boolean;
}

/** "400d" or "400" → 400. */
export function parseDays(flag: string, v: unknown): number {
  const m = typeof v === 'string' || typeof v === 'number' ? /^(\d+)d?$/.exec(String(v).trim()) : null;
  if (!m || Number(m[1]) < 1) throw invalid(flag, 'a number of days such as 400d', v);
  return Number(m[1]);
}

export function pruneCommand(_setCode: (c: number) => void): CommandModule<object, PruneArgs> {
  return {
    command: 'prune',
    describe: 'Delete usage days older than --older-than before the newest day stored; checkpoints are kept',
    builder: (y) =>
      y
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database to prune' })
        .option('older-than', { type: 'string', demandOption: true, describe: 'Days to keep, e.g. 400d' })
        .option('wait', WAIT_OPTION)
        .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' }),
    handler: async (args) => {
      const days = parseDays('--older-than', args['older-than']);
      const wait = waitSeconds(args.wait);
      const db = openDatabase(args.db);
      try {
        const run = await withWriteRun(args.db, db, { command: 'prune', paths: [], waitSeconds: wait }, () =>
          pruneOlderThan(db, days),
        );
        const r = run.result;
        if (!args.quiet) {
          process.stdout.write(r.keepFrom === null
            ? 'Nothing to prune: the database holds no usage.\n'
            : `Pruned ${num(r.usageRows)} usage rows before ${r.keepFrom} (${days} days before the newest day stored).\n`);
        }
      } finally {
        db.close();
      }
    },
  };
}
