// `execute(argv) → exit code`: 0 done, 1 a threshold tripped, 2 usage or fatal error (also unexpected crashes).
// Nothing below calls process.exit; user errors print one line without a stack trace.
import yargs, { type CommandModule } from 'yargs';
import { version } from '../bundle-info.js';
import { CensusError, isCensusError } from '../errors.js';
import { exceptionsCommand } from './exceptions-command.js';
import { mergeCommand } from './merge-command.js';
import { withOptionalValues } from './nightly.js';
import { pruneCommand } from './prune-command.js';
import { renameServerCommand } from './rename-server-command.js';
import { exportCommand } from './export-command.js';
import { queryCommand } from './query-command.js';
import { reportCommand } from './report-command.js';
import { scanCommand } from './scan-command.js';

/**
 * yargs renders a command's whole help text before running it, for a showHelp() from inside an async handler;
 * that took ~25 ms of every run. No handler here shows help (usage errors print one line), so the cache is skipped.
 * Internal yargs API: if it is not there, nothing changes.
 */
function skipHelpCache(cli: unknown): void {
  const usage = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

let pipeWatched = false;

/**
 * A reader that stops early (`tls-census report | head`) closes the pipe: the rest of the output is dropped, and
 * the command ends with its own exit code instead of an unhandled EPIPE and a stack trace.
 */
function quietOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    process.stdout.destroy();
  });
}

export async function execute(argv: readonly string[]): Promise<number> {
  quietOnClosedPipe();
  let code = 0;
  const setCode = (c: number): void => {
    code = Math.max(code, c);
  };
  const commands = [
    scanCommand, reportCommand, mergeCommand, pruneCommand, renameServerCommand, exceptionsCommand, queryCommand, exportCommand,
  ]
    .map((c) => c(setCode) as CommandModule);
  const names = commands.map((c) => String(c.command).split(' ')[0]);
  const cli = yargs(withOptionalValues(argv))
    .scriptName('tls-census')
    .usage('$0 <command> [options]\n\nFind the clients still on SSL 3.0 / TLS 1.0 / TLS 1.1 in IIS and Exchange logs.')
    .command(commands)
    .demandCommand(1, `Name a command: ${names.join(', ')} (tls-census <command> --help for each).`)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new CensusError('USAGE', msg);
    })
    .help()
    .version(version())
    .wrap(Math.min(100, process.stdout.columns || 100));
  skipHelpCache(cli);
  try {
    await cli.parseAsync();
    return code;
  } catch (err) {
    if (isCensusError(err)) {
      process.stderr.write(`tls-census: ${err.message}\n`);
      if (err.code === 'USAGE') process.stderr.write('Run "tls-census --help" for usage.\n');
      return 2;
    }
    const e = err as Error;
    process.stderr.write(`tls-census: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.TLS_CENSUS_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    return 2;
  }
}
