// Expands the paths named on the command line into files, recursively, in a stable (sorted) order.
// Symlinked folders are followed once (loops cannot hang); unreadable entries become problems, not failures.
// A path named twice (in another case or spelling on Windows) is walked once.
import { opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CensusError } from '../errors.js';
import { distinctPaths, namedFolders } from './path-rules.js';

export interface FoundFile {
  /** Path as the user will recognise it (joined from what they typed). */
  readonly path: string;
  /** Folder names from the named path down to the file's folder (the named folder's own name first, see namedFolders). */
  readonly folders: readonly string[];
  readonly size: number;
  readonly mtimeMs: number;
}

export interface WalkProblem {
  readonly path: string;
  readonly message: string;
}

export async function checkPathsExist(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    try {
      await stat(p);
    } catch {
      throw new CensusError('SOURCE_NOT_FOUND', `no such file or folder: ${p}`);
    }
  }
}

export async function* walk(
  paths: readonly string[],
  onProblem: (p: WalkProblem) => void,
): AsyncGenerator<FoundFile> {
  const seenDirs = new Set<string>();
  for (const p of distinctPaths(paths)) {
    const st = await stat(p);
    if (st.isDirectory()) {
      yield* walkDir(p, namedFolders(p, true), seenDirs, onProblem);
    } else {
      yield { path: p, folders: namedFolders(p, false), size: st.size, mtimeMs: st.mtimeMs };
    }
  }
}

async function* walkDir(
  dir: string,
  folders: readonly string[],
  seenDirs: Set<string>,
  onProblem: (p: WalkProblem) => void,
): AsyncGenerator<FoundFile> {
  let names: string[];
  try {
    const real = await realpath(dir);
    if (seenDirs.has(real)) return; // a symlink loop or a folder reached twice
    seenDirs.add(real);
    names = [];
    for await (const entry of await opendir(dir)) names.push(entry.name);
  } catch (err) {
    onProblem({ path: dir, message: `cannot read folder: ${(err as Error).message}` });
    return;
  }
  names.sort();
  for (const name of names) {
    const full = join(dir, name);
    let st;
    try {
      st = await stat(full); // follows symlinks
    } catch (err) {
      onProblem({ path: full, message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    if (st.isDirectory()) yield* walkDir(full, [...folders, name], seenDirs, onProblem);
    else if (st.isFile()) yield { path: full, folders, size: st.size, mtimeMs: st.mtimeMs };
  }
}
