// `tls-census exceptions add|list|expire`: known exceptions kept in the database (table exceptions).
// Excepted hits stay in the data and reports; they only stop counting for --fail-on-legacy until they expire.
import type { Argv, CommandModule } from 'yargs';
import { addException, expireException, listExceptions } from '../exceptions/exception-store.js';
import { isActive } from '../exceptions/exceptions.js';
import { clean } from '../report/strings.js';
import { openDatabase } from '../store/open-database.js';
import { invalid, positiveInt } from './options.js';
import { todayUtc } from '../exceptions/exception-store.js';

interface ExceptionsArgs {
  action: string;
  id?: number;
  db: string;
  ip?: string;
  user?: string;
  agent?: string;
  sender?: string;
  reason?: string;
  expires?: string;
}

const MATCH_FLAGS = ['ip', 'user', 'agent', 'sender'] as const;

export function exceptionsCommand(_setCode: (c: number) => void): CommandModule<object, ExceptionsArgs> {
  return {
    command: 'exceptions <action> [id]',
    describe: 'Known exceptions: add (--ip|--user|--agent|--sender, --reason, --expires), list, expire <id>',
    builder: (y: Argv) =>
      y
        .positional('action', { type: 'string', choices: ['add', 'list', 'expire'], demandOption: true })
        .positional('id', { type: 'number', describe: 'The exception to expire (see list)' })
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database' })
        .option('ip', { type: 'string', describe: 'Client address or network (10.1.0.0/16)' })
        .option('user', { type: 'string', describe: 'User name ("*" matches anything)' })
        .option('agent', { type: 'string', describe: 'User-agent text it contains, or a pattern with "*"' })
        .option('sender', { type: 'string', describe: 'Sender address (SMTP AUTH), e.g. scanner@contoso.com or *@contoso.com' })
        .option('reason', { type: 'string', describe: 'Why it is allowed for now' })
        .option('expires', { type: 'string', describe: 'Last day it applies, YYYY-MM-DD' }) as unknown as Argv<ExceptionsArgs>,
    handler: (args) => {
      const now = new Date();
      if (args.action === 'add') {
        const given = MATCH_FLAGS.filter((m) => args[m] !== undefined);
        if (given.length !== 1) throw invalid('--ip|--user|--agent|--sender', 'exactly one of them', given.join(' '));
        const match = given[0];
        const db = openDatabase(args.db);
        try {
          const e = addException(db, { match, value: String(args[match]), reason: args.reason ?? '', expires: args.expires ?? '' }, now);
          process.stdout.write(`Added exception ${e.id}: ${e.match} ${e.value} until ${e.expires}\n`);
          if (!isActive(e, todayUtc(now))) {
            process.stderr.write(
              `tls-census: warning: --expires ${e.expires} is in the past: exception ${e.id} is stored but does not apply ` +
                `(its last day has gone; give a later day, or "exceptions expire ${e.id}" to end it)\n`,
            );
          }
        } finally {
          db.close();
        }
        return;
      }
      if (args.action === 'expire') {
        const id = positiveInt('<id>', args.id);
        const db = openDatabase(args.db);
        try {
          if (!expireException(db, id, todayUtc(now))) throw invalid('<id>', 'the id of a stored exception (see list)', id);
          process.stdout.write(`Exception ${id} no longer applies from today.\n`);
        } finally {
          db.close();
        }
        return;
      }
      const db = openDatabase(args.db, { readonly: true });
      try {
        const all = listExceptions(db);
        if (all.length === 0) process.stdout.write('No exceptions stored.\n');
        for (const e of all) {
          const state = isActive(e, todayUtc(now)) ? 'active ' : 'expired';
          process.stdout.write(clean(`${String(e.id).padStart(4)} ${state} ${e.match.padEnd(6)} ${e.value}  until ${e.expires}  ${e.reason}`, 100) + '\n');
        }
      } finally {
        db.close();
      }
    },
  };
}
