// Every client rule in the order identify() tries them: noise by UA first, then Exchange clients and devices,
// then programs, then browsers (Microsoft's "cannot do TLS 1.2" list: ie-rules.ts, browser-rules.ts). First match wins.
import { APP_RULES } from './app-rules.js';
import { BROWSER_RULES } from './browser-rules.js';
import { EXCHANGE_RULES } from './exchange-rules.js';
import { IE_RULES } from './ie-rules.js';
import { NOISE_RULES } from './noise.js';
import type { ClientRule } from './types.js';
import { onOs, osLabel } from './ua-context.js';

/** Last resort: the UA's first product token ("SomeApp/1.2 …") or the UA itself, with the OS when named. */
export const FALLBACK_RULE: ClientRule = {
  id: 'other',
  test: (ctx) => {
    const product = /^([A-Za-z][\w.+-]*(?: [A-Za-z][\w.+-]*)?)\/(\d[\w.-]*)/.exec(ctx.ua);
    const os = osLabel(ctx);
    const nt = ctx.windowsNt;
    const name = product ? `${product[1]} ${product[2]}` : ctx.ua.trim().slice(0, 60) || '(empty user agent)';
    const hint = nt === null ? null : nt < 6.1 ? 'windowsXp' : nt === 6.1 ? 'win7winhttp' : null;
    return { client: `${name}${onOs(os)}`, family: product ? product[1] : 'other', version: product ? product[2] : null, os, tls12: 'unknown', hint };
  },
  matches: [
    { ua: 'ExampleAgent/1.0', client: 'ExampleAgent 1.0', tls12: 'unknown' },
    { ua: 'SyncTool/3.2 (Windows NT 6.1; Win64)', client: 'SyncTool 3.2 on Windows 7', tls12: 'unknown' },
    { ua: 'Microsoft Office Existence Discovery', client: 'Microsoft Office Existence Discovery', tls12: 'unknown' },
  ],
  nonMatches: ['curl/8.5.0'],
};

export const RULES: readonly ClientRule[] = [...NOISE_RULES, ...EXCHANGE_RULES, ...APP_RULES, ...IE_RULES, ...BROWSER_RULES, FALLBACK_RULE];
