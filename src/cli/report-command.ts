// `tls-census report`: the summary of a database, without scanning.
import type { CommandModule } from 'yargs';
import { readSummary } from '../report/summary.js';
import { formatText } from '../report/text.js';
import { openDatabase } from '../store/open-database.js';
import { positiveInt } from './options.js';

interface ReportArgs {
  db: string;
  top: number;
}

export function reportCommand(_setCode: (c: number) => void): CommandModule<object, ReportArgs> {
  return {
    command: 'report',
    describe: 'Print the summary of a database: protocol shares, legacy clients, problems',
    builder: (y) =>
      y
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database written by scan' })
        .option('top', { type: 'number', default: 20, describe: 'How many legacy clients to list' }),
    handler: (args) => {
      const top = positiveInt('--top', args.top);
      const db = openDatabase(args.db, { readonly: true });
      try {
        process.stdout.write(formatText(readSummary(db, { top }), { db: args.db, top }));
      } finally {
        db.close();
      }
    },
  };
}
