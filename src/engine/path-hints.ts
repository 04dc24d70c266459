// Server and site of a file's rows when the file itself names none (s-computername, s-sitename, an SMTP connector
// id always win over these): the nearest folder above the file that an admin laid out (`EXCH01\W3SVC1\…`,
// `EXCH01.zip!W3SVC1/…`), never a folder of the products' own layout (LogFiles, W3SVC1, HTTPERR, Logging, …); else
// `scan --server-name`; else the host of a UNC path (`\\EXCH01\c$\inetpub\…`); else this machine's host name, so
// IIS, HTTP.sys and Exchange logs of the machine scanned in place all get one name. Only names are looked at.
import { hostname } from 'node:os';
import { isLayoutFolder } from '../formats/exchange-layout.js';
import type { PathHints } from '../formats/types.js';

export interface ServerNaming {
  /** --server-name: the server of files whose path names none. */
  readonly serverName: string | null;
  /** This machine's host name (its first DNS label, as Windows names itself). */
  readonly hostName: string;
}

/** os.hostname() without its domain: `exch01.contoso.com` → `exch01`, as s-computername and connector ids name it. */
export function localHostName(): string {
  const name = hostname();
  return name.split('.')[0] || name;
}

/** `\\HOST\share\…` (not the `\\?\` and `\\.\` device forms) → HOST, else null. */
export function uncHost(path: string): string | null {
  const m = /^[\\/]{2}([^\\/?.][^\\/]*)[\\/]/.exec(path);
  return m ? m[1] : null;
}

export function pathHints(path: string, folders: readonly string[], naming: ServerNaming): PathHints {
  let site: string | null = null;
  for (let i = folders.length - 1; i >= 0 && site === null; i--) if (/^W3SVC\d+$/i.test(folders[i])) site = folders[i];
  for (let i = folders.length - 1; i >= 0; i--) {
    if (!isLayoutFolder(folders[i])) return { server: folders[i], serverOrigin: 'folder', site, folders };
  }
  if (naming.serverName !== null) return { server: naming.serverName, serverOrigin: 'option', site, folders };
  const unc = uncHost(path);
  if (unc !== null) return { server: unc, serverOrigin: 'unc', site, folders };
  return { server: naming.hostName, serverOrigin: 'host', site, folders };
}
