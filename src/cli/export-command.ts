// `tls-census export`: the usage rows as ECS NDJSON (or `_bulk` pairs) for Elasticsearch, OpenSearch or Splunk HEC.
// Flags are checked before the database is opened; rows stream to stdout or --out FILE, never gathered in memory.
import { createWriteStream, openSync, writeFileSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CommandModule } from 'yargs';
import { CensusError } from '../errors.js';
import { indexMapping } from '../export/ecs-mapping.js';
import { exportUsage } from '../export/export-usage.js';
import { resolveFilter } from '../report/filter.js';
import { num } from '../report/text.js';
import { openDatabase } from '../store/open-database.js';
import { invalid } from './options.js';
import { FILTER_OPTIONS, filterSpec, type ReportFlags } from './report-options.js';

export const EXPORT_FORMATS = ['ecs-ndjson'] as const;
export const DEFAULT_INDEX = 'tls-census';

interface ExportArgs extends ReportFlags {
  db: string;
  format: string;
  out?: string;
  bulk: boolean;
  index?: string;
  mapping: boolean;
}

/** Elasticsearch/OpenSearch index name rules: lower case, none of \ / * ? " < > | , # : or space, not . or .. */
export function indexName(value: unknown): string {
  const name = typeof value === 'string' ? value : '';
  const ok =
    /^[^-_+A-Z\\/*?"<>|,#: ][^A-Z\\/*?"<>|,#: ]*$/.test(name) &&
    name !== '.' &&
    name !== '..' &&
    Buffer.byteLength(name) <= 255;
  if (!ok) throw invalid('--index', 'an index name in lower case without spaces or \\ / * ? " < > | , # :', value);
  return name;
}

function outputFailed(path: string, err: unknown): CensusError {
  return new CensusError('OUTPUT_FAILED', `cannot write --out ${path}: ${(err as Error).message}`);
}

/** Opened before the first row is read, so a bad path fails at once rather than after a long query. */
function openOut(path: string): WriteStream {
  try {
    // 1 MiB of buffered writes: with the default 16 KiB every 64 KiB chunk would wait for its own disk write.
    return createWriteStream(path, { fd: openSync(path, 'w'), highWaterMark: 1024 * 1024 });
  } catch (err) {
    throw outputFailed(path, err);
  }
}

/** Errors of the output (EPIPE, ENOSPC, …) carry a syscall; database errors do not. */
const isIoError = (err: unknown): err is NodeJS.ErrnoException =>
  err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';

async function finish(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

export function exportCommand(_setCode: (c: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export',
    describe: 'Write the usage rows as Elastic Common Schema NDJSON, for Elasticsearch/OpenSearch _bulk or Splunk HEC',
    builder: (y) =>
      y
        .option('db', { type: 'string', default: 'tls-census.db', describe: 'SQLite database written by scan' })
        .option('format', { type: 'string', demandOption: true, describe: `Output format: ${EXPORT_FORMATS.join(', ')}` })
        .option('out', { type: 'string', describe: 'Write to this file instead of stdout' })
        .option('bulk', { type: 'boolean', default: false, describe: 'Put an _bulk "index" action line before each document' })
        .option('index', { type: 'string', describe: `Index named in the _bulk action lines (default ${DEFAULT_INDEX})` })
        .option('mapping', {
          type: 'boolean',
          default: false,
          describe: 'Print the index mapping (PUT /<index> body) for these documents instead of the documents',
        })
        .options(FILTER_OPTIONS),
    handler: async (args) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(args.format)) {
        throw invalid('--format', EXPORT_FORMATS.join(' or '), args.format);
      }
      if (args.index !== undefined && !args.bulk) throw invalid('--index', '--bulk with it', args.index);
      const bulkIndex = args.bulk ? indexName(args.index ?? DEFAULT_INDEX) : null;
      const spec = filterSpec(args);
      if (args.mapping) {
        const text = `${JSON.stringify(indexMapping(), null, 2)}\n`;
        if (args.out === undefined) process.stdout.write(text);
        else {
          try {
            writeFileSync(args.out, text);
          } catch (err) {
            throw outputFailed(args.out, err);
          }
        }
        return;
      }
      const db = openDatabase(args.db, { readonly: true });
      let file: WriteStream | null = null;
      try {
        file = args.out === undefined ? null : openOut(args.out);
        const out: Writable = file ?? process.stdout;
        // Without a listener, a reader that goes away (EPIPE) would crash the process; exportUsage sees it as
        // out.errored. It stays on stdout after the export: a late EPIPE must not crash the process either.
        out.on('error', () => undefined);
        const result = await exportUsage(db, out, { filter: resolveFilter(db, spec), bulkIndex });
        if (file !== null) {
          await finish(file);
          process.stdout.write(`Exported ${num(result.documents)} documents (${num(result.hits)} hits) to ${args.out}\n`);
        }
      } catch (err) {
        if (!isIoError(err)) throw err;
        // A reader that quits early (`| head`) is not a failure of ours.
        if (file === null && err.code === 'EPIPE') return;
        const where = args.out === undefined ? 'stdout' : `--out ${args.out} (left incomplete)`;
        throw new CensusError('OUTPUT_FAILED', `export stopped writing to ${where}: ${err.message}`);
      } finally {
        db.close();
        file?.destroy();
      }
    },
  };
}
