// Windows paths by Windows rules (path.win32) on any system: `D:\logs` and a UNC folder `\\server\share\W3SVC1`
// name their folder, a folder named twice in another case is walked once, a --db on another drive and its side files
// are never read whatever their case. The same rules natively: a folder named twice is walked once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathHints } from '../../src/engine/path-hints.js';
import { distinctPaths, excludedFiles, namedFolders, POSIX, WINDOWS } from '../../src/sources/path-rules.js';
import { walk } from '../../src/sources/walk.js';
import { tempDir } from '../helpers.js';

const CWD = 'C:\\work';

describe('Windows path rules (path.win32)', () => {
  it('names the folder of D:\\logs, of a UNC share folder and of a named file; a drive root names none', () => {
    expect(namedFolders('D:\\logs', true, WINDOWS, CWD)).toEqual(['logs']);
    expect(namedFolders('D:\\logs\\', true, WINDOWS, CWD)).toEqual(['logs']);
    expect(namedFolders('d:/logs/', true, WINDOWS, CWD)).toEqual(['logs']);
    // an IIS site folder brings its parent's name: the server folder of `EXCH01\W3SVC1` named itself
    expect(namedFolders('\\\\server\\share\\W3SVC1', true, WINDOWS, CWD)).toEqual(['share', 'W3SVC1']);
    expect(namedFolders('\\\\server\\share\\W3SVC1\\u_ex240311.log', false, WINDOWS, CWD)).toEqual(['share', 'W3SVC1']);
    expect(namedFolders('\\\\server\\share', true, WINDOWS, CWD)).toEqual(['share']);
    expect(namedFolders('logs\\EXCH01', true, WINDOWS, CWD)).toEqual(['EXCH01']);
    expect(namedFolders('D:\\', true, WINDOWS, CWD)).toEqual([]);
    // by POSIX rules a backslash is part of a name: the rules decide, not the system the test runs on
    expect(namedFolders('D:\\logs', true, POSIX, '/work')).toEqual(['D:\\logs']);
  });

  it('takes the site from a UNC W3SVC folder and the server from the folder above it, as for a local one', () => {
    const naming = { serverName: null, hostName: 'HOST' };
    const unc = '\\\\EXCH01\\logs$\\W3SVC1';
    // a hidden share names no server: the UNC host does
    expect(pathHints(`${unc}\\u.log`, namedFolders(unc, true, WINDOWS, CWD), naming)).toMatchObject({ server: 'EXCH01', serverOrigin: 'unc', site: 'W3SVC1' });
    expect(pathHints('\\\\fs\\exports\\EXCH01\\W3SVC2\\u.log', [...namedFolders('\\\\fs\\exports', true, WINDOWS, CWD), 'EXCH01', 'W3SVC2'], naming))
      .toMatchObject({ server: 'EXCH01', serverOrigin: 'folder', site: 'W3SVC2' });
    expect(pathHints('D:\\u.log', namedFolders('D:\\', true, WINDOWS, CWD), naming)).toMatchObject({ server: 'HOST', serverOrigin: 'host', site: null });
  });

  it('keeps the first of the same folder named in another case, slash or with a trailing separator', () => {
    const named = ['D:\\Logs', 'd:\\logs\\', 'D:/LOGS', 'D:\\logs2', '\\\\Server\\Share\\W3SVC1', '\\\\server\\share\\w3svc1\\'];
    expect(distinctPaths(named, WINDOWS, CWD)).toEqual(['D:\\Logs', 'D:\\logs2', '\\\\Server\\Share\\W3SVC1']);
    expect(distinctPaths(['logs', 'C:\\Work\\LOGS', 'D:\\logs'], WINDOWS, CWD)).toEqual(['logs', 'D:\\logs']);
    // names differing in case are different folders by POSIX rules
    expect(distinctPaths(['/logs/Ex', '/logs/ex', '/logs/ex/'], POSIX, '/')).toEqual(['/logs/Ex', '/logs/ex']);
  });

  it('never reads a --db on another drive, or its -wal, -shm, -journal and -lock files (and the lock\'s journal), in any case', () => {
    const excluded = excludedFiles(['E:\\census\\tls.db'], WINDOWS, CWD);
    for (const f of ['E:\\census\\tls.db', 'e:\\Census\\TLS.DB', 'E:/census/tls.db-wal', 'E:\\census\\tls.db-shm',
      'E:\\census\\tls.db-journal', 'E:\\CENSUS\\tls.db-lock', 'E:\\census\\tls.db-lock-journal', 'e:\\census\\tls.db-lock-wal']) expect(excluded(f), f).toBe(true);
    for (const f of ['D:\\census\\tls.db', 'E:\\census\\tls.db.bak', 'E:\\census\\old\\tls.db']) expect(excluded(f), f).toBe(false);
    // a relative --db lies in the current folder (drive C:), not on the drive scanned
    const relative = excludedFiles(['tls.db'], WINDOWS, CWD);
    expect(relative('c:\\WORK\\tls.db')).toBe(true);
    expect(relative('D:\\logs\\tls.db')).toBe(false);
    // by POSIX rules case matters
    expect(excludedFiles(['/srv/tls.db'], POSIX, '/')('/srv/TLS.db')).toBe(false);
  });
});

describe('walk, on this system', () => {
  it('walks a folder named twice (and in another spelling) once', async () => {
    const dir = join(tempDir(), 'Logs');
    mkdirSync(join(dir, 'W3SVC1'), { recursive: true });
    writeFileSync(join(dir, 'W3SVC1', 'u_ex240311.log'), '#Fields: date\n');
    const found: string[] = [];
    for await (const f of walk([dir, `${dir}/`, join(dir, '..', 'Logs')], () => undefined)) found.push(f.path);
    expect(found).toEqual([join(dir, 'W3SVC1', 'u_ex240311.log')]);
  });
});
