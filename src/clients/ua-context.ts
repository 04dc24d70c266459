// The shared readings of one user agent for the rules: the UA parser's result (lazy), the Windows NT version,
// readable OS labels and version comparison. Pure functions; no rule lives here.
import UAParser from 'ua-parser-js';
import type { IResult } from 'ua-parser-js';
import type { UaContext, ClientMatch } from './types.js';

export function uaContext(ua: string): UaContext {
  let parsed: IResult | null = null;
  const nt = /Windows NT (\d+\.\d+)/.exec(ua);
  return {
    ua,
    parsed: () => (parsed ??= lazyResult(ua)),
    windowsNt: nt ? Number(nt[1]) : null,
  };
}

/**
 * The UA parser's getResult(), each part read when first asked for: most user agents that reach the parser are
 * EHLO host names or app tokens, for which the rules read the browser, OS and engine but never the device, whose
 * expressions were most of the parser's time (measured).
 */
function lazyResult(ua: string): IResult {
  const parser = new UAParser(ua);
  let browser: IResult['browser'] | undefined;
  let engine: IResult['engine'] | undefined;
  let os: IResult['os'] | undefined;
  let device: IResult['device'] | undefined;
  let cpu: IResult['cpu'] | undefined;
  return {
    ua,
    get browser() {
      return (browser ??= parser.getBrowser());
    },
    get engine() {
      return (engine ??= parser.getEngine());
    },
    get os() {
      return (os ??= parser.getOS());
    },
    get device() {
      return (device ??= parser.getDevice());
    },
    get cpu() {
      return (cpu ??= parser.getCPU());
    },
  };
}

const NT_NAMES: ReadonlyMap<number, string> = new Map([
  [5.0, 'Windows 2000'],
  [5.1, 'Windows XP'],
  [5.2, 'Windows XP x64 / Server 2003'],
  [6.0, 'Windows Vista'],
  [6.1, 'Windows 7'],
  [6.2, 'Windows 8'],
  [6.3, 'Windows 8.1'],
  [10.0, 'Windows 10/11'],
]);

/** "Windows 7" for 6.1; Windows 7 also stands for Server 2008 R2, which sends the same version. */
export function windowsName(nt: number): string {
  return NT_NAMES.get(nt) ?? `Windows NT ${nt.toFixed(1)}`;
}

/** Readable OS of a user agent: the NT version when present, else the UA parser's OS. */
export function osLabel(ctx: UaContext): string | null {
  if (ctx.windowsNt !== null) return windowsName(ctx.windowsNt);
  const os = ctx.parsed().os;
  if (!os.name) return null;
  const version = os.version?.trim();
  if (os.name === 'Mac OS') return version ? `OS X ${version}` : 'macOS';
  if (os.name === 'Windows' && version) return version === '10' ? 'Windows 10/11' : `Windows ${version}`;
  return version ? `${os.name} ${version}` : os.name;
}

/** Numeric parts of "4.0.64.0" or "10_8_4" (missing parts are 0), for comparisons. */
export function versionParts(v: string): number[] {
  return v.split(/[._]/).map((p) => Number.parseInt(p, 10) || 0);
}

/** Negative when a < b, 0 when equal, positive when a > b; "4.0.64" equals "4.0.64.0". */
export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Android's platform TLS: 1.2 from 4.1 but off by default for apps until 5.0; Microsoft lists 4.3 and earlier. */
export function androidVerdict(version: string): Pick<ClientMatch, 'tls12' | 'hint'> {
  if (compareVersions(version, '4.4') < 0) return { tls12: 'no', hint: 'androidOld' };
  if (compareVersions(version, '5') < 0) return { tls12: 'unknown', hint: 'android44' };
  return { tls12: 'yes', hint: null };
}

/** " on Windows 7", or "" when the OS is unknown. */
export const onOs = (os: string | null): string => (os ? ` on ${os}` : '');
