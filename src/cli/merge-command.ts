// `tls-census merge --db central.db <server.db…>`: adds each server database's new counts, under the scan lock
// and a run record. Merging the same database again adds nothing; a newer copy adds only what is new.
import type { CommandModule } from 'yargs';
import { mergeDatabase } from '../merge/merge.js';
import { num } from '../report/strings.js';
import { openDatabase } from '../store/open-database.js';
import { WAIT_OPTION, waitSeconds, withWriteRun } from './write-run.js';

interface MergeArgs {
  sources: string[];
  db: string;
  wait: number;
  quiet: boolean;
  full: boolean;
}

export function mergeCommand(_setCode: (c: number) => void): CommandModule<object, MergeArgs> {
  return {
    command: 'merge <sources..>',
    describe: 'Merge server databases into --db, exactly and idempotently (merging one twice changes nothing)',
    builder: (y) =>
      y
        .positional('sources', { type: 'string', array: true, demandOption: true, describe: 'Databases to merge in' })
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'The central database to update' })
        .option('wait', WAIT_OPTION)
        .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
        .option('full', {
          type: 'boolean',
          default: false,
          describe: 'Read every row of each database, not only the days written since it was merged last',
        }),
    handler: async (args) => {
      const wait = waitSeconds(args.wait);
      const db = openDatabase(args.db);
      try {
        // The days the merge wrote: the run's end looks for new legacy clients on those days only, and a merge of
        // this database reads only those days after this run (Runs.finish)
        const written = new Set<string>();
        const writtenDays = (): ReadonlySet<string> => written;
        const run = await withWriteRun(args.db, db, { command: 'merge', paths: args.sources, waitSeconds: wait, writtenDays }, (runId) =>
          args.sources.map((source) => {
            const r = mergeDatabase(db, source, new Date(), runId, args.full);
            for (const d of r.writtenDays) written.add(d);
            return r;
          }),
        );
        for (const r of run.result) {
          if (r.overlappingFiles > 0) {
            process.stderr.write(`tls-census: warning: ${r.path}: ${num(r.overlappingFiles)} log files it read were also ` +
              `scanned into ${args.db}: their hits are counted twice\n`);
          }
          if (r.unmatchedSignIns > 0) {
            process.stderr.write(`tls-census: warning: ${r.path}: ${num(r.unmatchedSignIns)} Entra ID sign-ins whose usage row it ` +
              'no longer has (renamed by an older tls-census?) were not added\n');
          }
          if (args.quiet) continue;
          const what = r.rowsChanged === 0 ? 'nothing new' : `${num(r.rowsChanged)} rows changed, ${num(r.hits)} hits added`;
          const pruned = r.prunedRows > 0 ? ` (${num(r.prunedRows)} rows older than the last prune left out)` : '';
          const read = r.daysRead === null ? '' : `; read the ${num(r.daysRead)} ${r.daysRead === 1 ? 'day' : 'days'} written since the last merge`;
          process.stdout.write(`Merged ${r.path} (database ${r.databaseId}${r.firstTime ? ', first time' : ''}): ${what}${pruned}${read}\n`);
        }
        if (!args.quiet) process.stdout.write(`New legacy clients: ${num(run.newLegacyClients)}\n`);
      } finally {
        db.close();
      }
    },
  };
}
