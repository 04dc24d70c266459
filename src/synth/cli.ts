// Command line for the synthetic IIS traffic generator: `node dist/synth/cli.js <outDir> [options]`.
// Prints one JSON line {files, lines, bytes}; it never deletes or cleans outDir (existing files are overwritten).
import { parseArgs } from 'node:util';
import { generateIisFolder, type IisFolderOptions } from './iis-traffic.js';

const USAGE =
  'usage: node dist/synth/cli.js <outDir> [--servers EXCH01,EXCH02] [--days 2] [--lines 900 (per server per day)] ' +
  '[--seed 1] [--start 2024-03-11] [--back-end]';

function parseSynthArgs(argv: readonly string[]): { outDir: string; options: IisFolderOptions } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      servers: { type: 'string', default: 'EXCH01,EXCH02' },
      days: { type: 'string', default: '2' },
      lines: { type: 'string', default: '900' },
      seed: { type: 'string', default: '1' },
      start: { type: 'string', default: '2024-03-11' },
      'back-end': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new RangeError(`expect exactly one output folder, got ${positionals.length}`);
  return {
    outDir: positionals[0],
    options: {
      servers: values.servers.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
      days: integerFlag('--days', values.days),
      startDate: values.start,
      linesPerServerPerDay: integerFlag('--lines', values.lines),
      seed: integerFlag('--seed', values.seed),
      backEnd: values['back-end'],
    },
  };
}

function integerFlag(name: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RangeError(`Invalid option ${name}: expect an integer, got "${text}"`);
  return Number(text);
}

function main(argv: readonly string[]): number {
  try {
    const { outDir, options } = parseSynthArgs(argv);
    const result = generateIisFolder(outDir, options);
    process.stdout.write(`${JSON.stringify({ files: result.files.length, lines: result.lines, bytes: result.bytes })}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
