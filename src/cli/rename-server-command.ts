// `tls-census rename-server OLD NEW`: gives the usage rows of server OLD the name NEW (a database scanned with a
// wrong or generic server name, such as LogFiles), under the scan lock and a run record.
import type { CommandModule } from 'yargs';
import { num } from '../report/strings.js';
import { openDatabase } from '../store/open-database.js';
import { renameServer } from '../store/rename-server.js';
import { parseServerName } from './options.js';
import { WAIT_OPTION, waitSeconds, withWriteRun } from './write-run.js';

interface RenameArgs {
  old: string;
  new: string;
  db: string;
  wait: number;
  quiet: boolean;
}

export function renameServerCommand(_setCode: (c: number) => void): CommandModule<object, RenameArgs> {
  return {
    command: 'rename-server <old> <new>',
    describe: 'Rename a server in the database (rows of OLD become rows of NEW; counts of equal rows add up)',
    builder: (y) =>
      y
        .positional('old', { type: 'string', demandOption: true, describe: 'The server name as stored (exact)' })
        .positional('new', { type: 'string', demandOption: true, describe: 'The right name' })
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database to change' })
        .option('wait', WAIT_OPTION)
        .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' }),
    handler: async (args) => {
      const from = String(args.old);
      const to = parseServerName(String(args.new), 'NEW') ?? '';
      const wait = waitSeconds(args.wait);
      const db = openDatabase(args.db);
      try {
        const run = await withWriteRun(args.db, db, { command: 'rename-server', paths: [from, to], waitSeconds: wait }, () =>
          renameServer(db, from, to),
        );
        const r = run.result;
        if (!args.quiet) {
          process.stdout.write(
            `Renamed server ${from} to ${to}: ${num(r.rows)} usage rows (${num(r.hits)} hits)` +
              (r.joined > 0 ? `, ${num(r.joined)} of them added into rows ${to} already had` : '') + '.\n',
          );
        }
      } finally {
        db.close();
      }
    },
  };
}
