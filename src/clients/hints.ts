// Fix hints: one short, specific line per class of client, keyed by id so rules and tests name them.
// Texts are stored in the clients table (and so in the legacy_clients view); they never hold log data.

export const HINTS = {
  dotnet4: '.NET Framework app: target 4.7+ or set SchUseStrongCrypto and SystemDefaultTlsVersions',
  dotnet40: '.NET Framework 4.0 app: install .NET 4.8, then target 4.7+ or set SchUseStrongCrypto',
  dotnet2: '.NET 2.0-3.5 app: install the .NET TLS 1.2 update and set SystemDefaultTlsVersions, or move to 4.7+',
  powershell5: 'Windows PowerShell 5.1: set SchUseStrongCrypto (or [Net.ServicePointManager]::SecurityProtocol = Tls12)',
  ewsManagedApi: 'EWS Managed API (.NET) app: target .NET 4.7+ or set SchUseStrongCrypto',
  win7winhttp: 'Windows 7 / WinHTTP: KB3140245 and DefaultSecureProtocols (0xA00 or 0xA80)',
  winrm: 'WinRM uses WinHTTP: on Windows 7 / 2008 R2 install KB3140245 and set DefaultSecureProtocols',
  windowsXp: 'Windows XP/Vista: Schannel has no TLS 1.2 - replace or upgrade the machine',
  outlook2010: 'Outlook 2010: out of support - upgrade Office; on Windows 7 also KB3140245 and DefaultSecureProtocols',
  outlook2007: 'Outlook 2007 or older: no TLS 1.2 - upgrade Office',
  outlookWin7: 'Outlook on Windows 7: KB3140245 and DefaultSecureProtocols (0xA00 or 0xA80)',
  outlookAnywhere: 'Outlook Anywhere (RPC/HTTP via WinHTTP): on Windows 7 KB3140245 and DefaultSecureProtocols; move to MAPI/HTTP',
  outlookMac2011: 'Outlook for Mac 2011: out of support - upgrade to current Outlook for Mac',
  skypeOld: 'Lync 2010: no TLS 1.2 - move to Teams or a current Skype for Business client',
  skypeUpdate: 'Skype for Business / Lync 2013: install the latest client update; on Windows 7 also KB3140245',
  teamsRooms: 'Teams Rooms: update the Teams Rooms app to 4.0.64.0 or later',
  surfaceHub: 'Surface Hub: install the May 2019 or later Windows 10 Team update (TLS 1.2)',
  ieOld: 'IE 8-10 on Windows 7 or older: move to IE 11 or Edge',
  ie10Win8: 'IE 10 on Windows 8: upgrade to Windows 8.1 / IE 11 or Edge',
  ieAncient: 'IE 7 or older: replace the browser (and the OS)',
  firefoxOld: 'Firefox before 27 does not enable TLS 1.2: update Firefox',
  safariOld: 'Safari 6.0.4 / OS X 10.8.4 or older: update OS X and Safari',
  chromeOld: 'Chrome before 30: update Chrome',
  androidOld: 'Android 4.3 or older (platform TLS): replace the device, or use a current browser/Outlook app',
  android44: 'Android 4.4: TLS 1.2 is off by default for apps - update the app or replace the device',
  windowsPhone8: 'Windows Phone 8.0: replace the device (8.1 and later do TLS 1.2)',
  windowsMobile: 'Windows Mobile / old ActiveSync device: replace the device',
  iosOld: 'iOS 4 or older: replace the device',
  appleMail: 'Apple Mail/Calendar: update macOS/iOS (OS X 10.9+ and iOS 5+ do TLS 1.2)',
  java7: 'Java 7: -Dhttps.protocols=TLSv1.2 (and jdk.tls.client.protocols), or move to Java 8+',
  java6: 'Java 6: move to Java 8+ (TLS 1.2 only in paid 6u121+ updates)',
  curlOld: 'old curl: update curl and its TLS library (OpenSSL 1.0.1+)',
  python: 'Python: needs OpenSSL 1.0.1+ and Python 2.7.9+/3.4+; check any forced ssl.PROTOCOL_TLSv1',
  tlsLibrary: 'update the app or its TLS library; check for a forced TLS 1.0 setting',
  printer: 'multifunction device: update its firmware and enable TLS 1.2, or send through an internal relay',
  smtpHost: 'SMTP host: enable TLS 1.2 on the sending server (Exchange TLS guidance / its MTA settings)',
  probe: "Exchange's own probe: follows the server's .NET and Schannel settings (Exchange TLS guidance)",
  healthCheck: 'load balancer / monitor: switch its health check to TLS 1.2 first, or it marks the server down',
  scanner: 'scanner: no action needed for the client; it will simply fail once TLS 1.0/1.1 are off',
} as const satisfies Record<string, string>;

export type HintId = keyof typeof HINTS;

/** The same client key was also measured on TLS 1.2+: it can, whatever the user agent suggests. */
export const MEASURED_HINT = 'measured TLS 1.2+ from this client too: find which of its connections (or apps) still use TLS 1.0/1.1';

/** A client the user agent says is capable, seen only on legacy TLS. */
export const CAPABLE_HINT = 'TLS 1.2-capable client seen on TLS 1.0/1.1 only: look for a forced setting or a proxy in between';

/** Internal rows (Exchange Back End on port 444, internal SMTP hops): Exchange talking to itself, whatever the UA says. */
export const BACK_END_HINT = 'server to server (Exchange Back End, internal hop): enable TLS 1.2 on the Exchange servers (Exchange TLS guidance)';

/**
 * SMTP Send rows: Exchange itself was the TLS client, the remote server (client_ip; its name in user_agent) the
 * legacy party. Mail flow to it breaks when TLS 1.0/1.1 go on either side, whatever the session's outcome.
 */
export const SMTP_SEND_HINT =
  'mail flow: this Exchange server sent to that server over TLS 1.0/1.1 - enable TLS 1.2 on the receiving server first, or mail to it stops when TLS 1.0/1.1 go on either side';

/** SMTP Receive, POP3, IMAP4 clients whose every sign-in over TLS 1.0/1.1 failed: not noise, a dependency that breaks. */
export const MAIL_AUTH_FAILED_HINT =
  'its sign-ins over TLS 1.0/1.1 failed (a stale password?), but it still needs TLS 1.0/1.1 to connect and breaks when they go: fix its TLS and its password';

/** Noise class → hint shown in the view instead of the client's. */
export const NOISE_HINTS = {
  'managed-availability': HINTS.probe,
  'health-check': HINTS.healthCheck,
  'challenge-only': 'only ever got 401 over TLS 1.0/1.1: no working sign-in - likely a stale device or saved password',
  scanner: HINTS.scanner,
  'password-spray': 'every legacy sign-in from this address failed: password spraying over old TLS, not a client to fix - block the address, check the accounts',
} as const;

/**
 * Entra ID sign-ins: hints for legacy clients whose user agent gives none, from the client app the sign-in used
 * (usage.detail `app=…`, the view's `details`) or its user agent. Data: the first rule whose SQL LIKE pattern
 * (case-insensitive for ASCII) matches its column decides; each rule lists values it must take and values it must
 * leave alone, and the test suite runs them all through SQLite.
 */
export interface EntraHintRule {
  readonly id: string;
  /** The legacy_clients column the pattern reads. */
  readonly column: 'details' | 'user_agent';
  /** SQL LIKE patterns: the rule matches when any does. */
  readonly like: readonly string[];
  readonly hint: string;
  readonly matches: readonly string[];
  readonly nonMatches: readonly string[];
}

export const ENTRA_HINT_RULES: readonly EntraHintRule[] = [
  {
    id: 'authenticated-smtp',
    column: 'details',
    like: ['%app=Authenticated SMTP%'],
    hint: 'SMTP AUTH (a device or app sending mail): update its TLS stack or firmware, or send through a connector or relay',
    matches: ['app=Authenticated SMTP; non-interactive', 'app=Authenticated SMTP', 'app=Browser; os=Windows10,app=Authenticated SMTP; os=Windows 7'],
    nonMatches: ['app=Other clients; non-interactive', 'app=IMAP4; device=Authenticated SMTP relay', 'app=SMTP'],
  },
  {
    id: 'exchange-activesync',
    column: 'details',
    like: ['%app=Exchange ActiveSync%'],
    hint: 'Exchange ActiveSync device: update or replace it (or move it to Outlook mobile)',
    matches: ['app=Exchange ActiveSync; os=Ios 10.3.3', 'app=exchange activesync'],
    nonMatches: ['app=Mobile Apps and Desktop clients; os=Ios', 'app=Exchange Web Services'],
  },
  {
    id: 'imap4-pop3',
    column: 'details',
    like: ['%app=IMAP4%', '%app=POP3%'],
    hint: 'IMAP4/POP3 mail app: update the app and its OS, or move to Outlook with modern authentication',
    matches: ['app=IMAP4', 'app=IMAP4; non-interactive', 'app=POP3; os=Windows 7'],
    nonMatches: ['app=Browser', 'app=Other clients', 'app=Mobile Apps and Desktop clients; device=POP3 gateway'],
  },
  {
    id: 'bav2ropc',
    column: 'user_agent',
    like: ['BAV2ROPC'],
    hint: 'legacy authentication (BAV2ROPC: basic auth turned into the ROPC flow - an old mail app, script or device signing in with a password): find it by user and address, move it to TLS 1.2 and modern authentication, or retire it',
    matches: ['BAV2ROPC', 'bav2ropc'],
    nonMatches: ['BAV2ROPC/1.0 (custom)', 'Mozilla/5.0 BAV2ROPC', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)'],
  },
];
