// `tls-census query "SELECT …"`: ad hoc SQL on the database opened read-only, printed as a table, CSV or JSON.
// A statement that would write is refused before it runs (and the read-only connection would refuse it anyway).
import type { CommandModule } from 'yargs';
import { CensusError } from '../errors.js';
import { formatQueryResult, QUERY_FORMATS, type Cell, type QueryFormat } from '../report/query-result.js';
import { openDatabase, type Db } from '../store/open-database.js';

interface QueryArgs {
  sql: string;
  db: string;
  format: string;
}

/** Runs one read-only statement; returns its column names and rows (empty for a statement without rows). */
export function runQuery(db: Db, sql: string): { columns: string[]; rows: Cell[][] } {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new CensusError('QUERY_FAILED', `query: ${(err as Error).message}`);
  }
  if (!stmt.readonly) {
    throw new CensusError('QUERY_FAILED', 'query: the database is opened read-only; only statements that read (SELECT, WITH, read-only PRAGMA) are allowed');
  }
  try {
    if (!stmt.reader) {
      stmt.run();
      return { columns: [], rows: [] };
    }
    const columns = stmt.columns().map((c) => c.name);
    return { columns, rows: stmt.raw(true).all() as Cell[][] };
  } catch (err) {
    throw new CensusError('QUERY_FAILED', `query: ${(err as Error).message}`);
  }
}

export function queryCommand(_setCode: (c: number) => void): CommandModule<object, QueryArgs> {
  return {
    command: 'query <sql>',
    describe: 'Run one read-only SQL statement on the database (see docs/queries.md)',
    builder: (y) =>
      y
        .positional('sql', { type: 'string', demandOption: true, describe: 'One SQL statement, e.g. "SELECT * FROM legacy_clients"' })
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database written by scan' })
        .option('format', { type: 'string', default: 'table', choices: QUERY_FORMATS, describe: 'Output format' }),
    handler: (args) => {
      const db = openDatabase(args.db, { readonly: true });
      try {
        db.pragma('query_only = ON'); // also covers databases a statement might ATTACH
        const result = runQuery(db, args.sql);
        if (result.columns.length > 0) process.stdout.write(formatQueryResult(result.columns, result.rows, args.format as QueryFormat));
      } finally {
        db.close();
      }
    },
  };
}
