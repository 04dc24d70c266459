// Where an Exchange or HTTP.sys log sits: the server name and the transport role, from the folder names above it.
// Only names are looked at (domain.md §4.2, §2.4); a server named in the file itself (connector id) wins over these.

/** Folder names of the product's own layout, which never name a server. */
const LAYOUT_FOLDERS: ReadonlySet<string> = new Set([
  'smtpreceive', 'smtpsend', 'protocollog', 'frontend', 'hub', 'mailbox', 'edge', 'delivery', 'submission',
  'logs', 'transportroles', 'logging', 'pop3', 'imap4', 'v15', 'v14', 'exchange server', 'microsoft',
  'program files', 'httperr', 'logfiles', 'system32', 'windows',
]);

/** The nearest folder above the file that is not part of the Exchange/Windows log layout, else null. */
export function serverFromFolders(folders: readonly string[]): string | null {
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i];
    if (!LAYOUT_FOLDERS.has(f.toLowerCase()) && !/^[A-Za-z]:$/.test(f)) return f;
  }
  return null;
}

export type TransportRole = 'frontend' | 'hub' | 'mailbox' | 'edge';

/** The transport service whose ProtocolLog folder holds the file (`…\Logs\Hub\ProtocolLog\SmtpReceive`). */
export function transportRole(folders: readonly string[]): TransportRole | null {
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i].toLowerCase();
    if (f === 'frontend' || f === 'hub' || f === 'mailbox' || f === 'edge') return f;
  }
  return null;
}

/** SMTP Receive or Send, from a `SmtpReceive`/`SmtpSend` folder, for files whose #Log-type is missing. */
export function smtpDirectionFromFolders(folders: readonly string[]): 'receive' | 'send' | null {
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i].toLowerCase();
    if (f === 'smtpreceive') return 'receive';
    if (f === 'smtpsend') return 'send';
  }
  return null;
}
