// Where an IIS, Exchange or HTTP.sys log sits: which folder names are the products' own layout (never a server
// name), and the transport role. Only names are looked at (domain.md §2.3, §2.4, §4.2, §4.4).

/** Folder names of the IIS, HTTP.sys, Exchange and Windows log layouts, which never name a server. */
const LAYOUT_FOLDERS: ReadonlySet<string> = new Set([
  'smtpreceive', 'smtpsend', 'protocollog', 'frontend', 'hub', 'mailbox', 'edge', 'delivery', 'submission',
  'logs', 'log', 'transportroles', 'logging', 'pop3', 'imap4', 'v15', 'v14', 'exchange server', 'exchange',
  'microsoft', 'program files', 'httperr', 'logfiles', 'system32', 'windows', 'inetpub', 'httpproxy',
]);

/** A folder name that cannot be a server's: the log layouts above, W3SVCn and its kin, a drive, a hidden share. */
export function isLayoutFolder(name: string): boolean {
  return name === '' || LAYOUT_FOLDERS.has(name.toLowerCase()) || /^(?:W3SVC|FTPSVC|SMTPSVC)\d*$/i.test(name) ||
    /^[A-Za-z]:\\?$/.test(name) || name.endsWith('$'); // a drive; an admin or hidden share (c$, logs$)
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

/** POP3 or IMAP4, from a `Pop3`/`Imap4` folder (`%ExchangeInstallPath%Logging\Pop3`), for files without #Log-type. */
export function popImapKindFromFolders(folders: readonly string[]): 'pop3' | 'imap4' | null {
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i].toLowerCase();
    if (f === 'pop3') return 'pop3';
    if (f === 'imap4') return 'imap4';
  }
  return null;
}
