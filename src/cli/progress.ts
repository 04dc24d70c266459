// The scan progress bar on stderr (cli-progress): files, bytes read, lines/s and ETA. Only on a terminal and
// never with --quiet; elsewhere (pipes, task logs) the scan prints nothing while it runs.
import cliProgress from 'cli-progress';
import type { ScanProgress } from '../engine/scan.js';
import { checkPathsExist, walk } from '../sources/walk.js';

export interface Progress {
  /** Undefined when no bar is shown, so the scan skips the calls. */
  readonly onProgress?: (p: ScanProgress) => void;
  /** Prints a line above the bar (or straight to stderr when there is none). */
  log(line: string): void;
  stop(): void;
}

const SILENT: Progress = { log: (line) => process.stderr.write(line), stop: () => undefined };

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** Walks the paths once up front for the totals the ETA needs (sizes on disk; stat only, nothing read). */
async function totals(paths: readonly string[]): Promise<{ files: number; bytes: number }> {
  await checkPathsExist(paths); // the usage error the scan would give, before any bar appears
  let files = 0;
  let bytes = 0;
  for await (const f of walk(paths, () => undefined)) {
    files++;
    bytes += f.size;
  }
  return { files, bytes };
}

export async function startProgress(
  paths: readonly string[],
  opts: { readonly quiet: boolean; readonly stream: NodeJS.WriteStream },
): Promise<Progress> {
  if (opts.quiet || !opts.stream.isTTY) return SILENT;
  const total = await totals(paths);
  const multi = new cliProgress.MultiBar(
    {
      stream: opts.stream,
      format: '{bar} {percentage}% | {files}/{totalFiles} files | {read} read | {rate} lines/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 40,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const payload = (p: ScanProgress | null) => ({
    files: p?.files ?? 0,
    totalFiles: total.files,
    read: formatBytes(p?.bytes ?? 0),
    rate: Math.round(((p?.lines ?? 0) * 1000) / Math.max(1, Date.now() - started)).toLocaleString('en-US'),
  });
  const bar = multi.create(Math.max(1, total.bytes), 0, payload(null));
  let running = true;
  return {
    onProgress: (p) => bar.update(Math.min(p.position, total.bytes), payload(p)),
    log: (line) => (running ? multi.log(line) : process.stderr.write(line)),
    stop: () => {
      if (running) multi.stop();
      running = false;
    },
  };
}
