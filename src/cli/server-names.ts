// The scan summary's line on server names: which name the files got whose lines name none, and where it came from
// (a server folder, --server-name, a UNC host, this machine's host name), so a wrong name is seen the first night.
import type { ServerNameUse } from '../engine/scan.js';
import type { ServerOrigin } from '../formats/types.js';
import { clean, num } from '../report/strings.js';

const ORIGIN: Record<ServerOrigin, string> = {
  folder: 'its folder',
  option: '--server-name',
  unc: 'the host of the UNC path',
  host: "this machine's host name (no server folder; --server-name NAME sets one)",
};

/** One line per name, at most 100 columns: `  EXCH01: 12 files, its folder`. */
export function serverNamesText(uses: readonly ServerNameUse[]): string {
  if (uses.length === 0) return '';
  const lines = [...uses]
    .sort((a, b) => b.files - a.files || (a.server < b.server ? -1 : 1))
    .map((u) => clean(`  ${u.server}: ${num(u.files)} file${u.files === 1 ? '' : 's'}, ${ORIGIN[u.origin]}`, 100));
  return ['Server names where the logs name none (a logged s-computername or SMTP connector id wins):', ...lines].join('\n') + '\n';
}
