// Server and site from an exported folder layout: "<SERVER>/W3SVC1/u_ex….log", else the folder holding the file.
// Only names are looked at; a value logged in the file (s-computername, s-sitename) always wins over these.
import type { PathHints } from '../formats/types.js';

export function pathHints(folders: readonly string[]): PathHints {
  for (let i = folders.length - 1; i >= 0; i--) {
    if (/^W3SVC\d+$/i.test(folders[i])) {
      return { server: i > 0 ? folders[i - 1] : null, site: folders[i], folders };
    }
  }
  return { server: folders.length > 0 ? folders[folders.length - 1] : null, site: null, folders };
}
