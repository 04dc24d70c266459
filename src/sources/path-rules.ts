// The path rules of the platform a scan runs on, as one value, so that Windows' (path.win32: drive letters, UNC
// shares, either slash, names that ignore case) are checked by tests on any system: what a named path calls its
// folder, when two spellings are one path (a folder named twice, the database inside a scanned folder).
import path from 'node:path';

export interface PathRules {
  readonly path: path.PlatformPath;
  /** Names differing only in case are one file (Windows). */
  readonly ignoreCase: boolean;
}

export const WINDOWS: PathRules = { path: path.win32, ignoreCase: true };
export const POSIX: PathRules = { path: path.posix, ignoreCase: false };
/** The rules of the system this runs on. */
export const NATIVE: PathRules = process.platform === 'win32' ? WINDOWS : POSIX;

/** One key for every spelling of a path: absolute (relative ones against `cwd`), case-folded where case is ignored. */
export function pathKey(p: string, rules: PathRules = NATIVE, cwd?: string): string {
  const full = cwd === undefined ? rules.path.resolve(p) : rules.path.resolve(cwd, p);
  return rules.ignoreCase ? full.toLowerCase() : full;
}

/** The named paths without those named before in another spelling (`D:\Logs` after `d:\logs\`), in order. */
export function distinctPaths(paths: readonly string[], rules: PathRules = NATIVE, cwd?: string): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = pathKey(p, rules, cwd);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The name a named folder gives its files' `folders` (its own name; the folder holding it for a named file): none for
 * a drive or file-system root, the share's name for a UNC share root (`\\server\share`). An IIS site folder
 * (`W3SVCn`) adds its parent's name before its own, so that naming `EXCH01\W3SVC1` itself still shows the server
 * folder an admin laid out (engine/path-hints.ts).
 */
export function namedFolders(p: string, isFolder: boolean, rules: PathRules = NATIVE, cwd?: string): string[] {
  const full = cwd === undefined ? rules.path.resolve(p) : rules.path.resolve(cwd, p);
  const folder = isFolder ? full : rules.path.dirname(full);
  const name = rules.path.basename(folder);
  if (name === '') return [];
  const parent = rules.path.basename(rules.path.dirname(folder));
  return /^W3SVC\d+$/i.test(name) && parent !== '' ? [parent, name] : [name];
}

/**
 * A test for the files a scan must not read: each database given and its -wal, -shm, -journal and -lock files, and
 * the lock's own -journal, -wal and -shm (the lock is a small SQLite database of its own: see store/scan-lock.ts).
 */
const DATABASE_SUFFIXES = ['', '-wal', '-shm', '-journal', '-lock', '-lock-journal', '-lock-wal', '-lock-shm'];

export function excludedFiles(databases: readonly string[], rules: PathRules = NATIVE, cwd?: string): (file: string) => boolean {
  const keys = new Set(
    databases.flatMap((d) => DATABASE_SUFFIXES.map((s) => pathKey(`${d}${s}`, rules, cwd))),
  );
  return (file) => keys.has(pathKey(file, rules, cwd));
}
