// One Microsoft Entra ID sign-in, from any of its exports (Graph camelCase objects, Log Analytics PascalCase rows
// with JSON text in cells), into one usage row: counted once by its id, labelled by the legacy TLS flag.
// Shared by the NDJSON, JSON document and Log Analytics CSV readers; it never does I/O.
import { dimsRowKey } from '../../aggregate/merge-key.js';
import { usageDims, type UsageDims } from '../../aggregate/usage-dims.js';
import { ENTRA_LEGACY_LABEL, ENTRA_MODERN_LABEL, ENTRA_SOURCE } from '../../tls/legacy.js';
import type { ParseContext } from '../types.js';
import { parseSignInTime } from './time.js';

/** usage.server when neither --tenant nor the data names the tenant. */
export const DEFAULT_TENANT = 'Entra ID';

/** A sign-in's fields under lower-case names, as read (objects, or JSON text from a CSV cell). */
export type SignInFields = ReadonlyMap<string, unknown>;

/** Lower-case keys of an object's own fields (Graph and Log Analytics spell the same fields in two cases). */
export function fieldsOf(obj: Record<string, unknown>): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const k of Object.keys(obj)) m.set(k.toLowerCase(), obj[k]);
  return m;
}

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').trim();
  return s === '' ? null : s;
};

/** An object, or JSON text of one (Log Analytics CSV cells); null when neither. */
function nested(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  const s = v.trim();
  if (s === '' || (s[0] !== '{' && s[0] !== '[')) return null;
  try {
    return JSON.parse(s) as unknown; // one cell, a few hundred bytes
  } catch {
    return undefined;
  }
}

const member = (obj: unknown, name: string): unknown => {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
};

const first = (f: SignInFields, ...names: string[]): string | null => {
  for (const n of names) {
    const v = text(f.get(n));
    if (v !== null) return v;
  }
  return null;
};

/** What the export says about TLS: the flag, the details without it, or no details at all (a blind spot). */
export type TlsEvidence = { readonly kind: 'flagged'; readonly value: string } | { readonly kind: 'clear' } | { readonly kind: 'absent' };

const LEGACY_KEY = /^\s*legacy tls\b/i;

/** authenticationProcessingDetails: `{"key": "Legacy TLS (TLS 1.0, 1.1, 3DES)", "value": "True"}` marks a legacy sign-in. */
export function tlsEvidence(details: unknown): TlsEvidence | 'malformed' {
  if (details === undefined) return { kind: 'absent' };
  const list = nested(details);
  if (list === undefined) return 'malformed';
  if (list === null) return { kind: 'absent' };
  if (!Array.isArray(list)) return 'malformed';
  // Every entry a key/value object. One that is not (the text ConvertTo-Json writes for an object nested deeper than
  // its -Depth: a type name, `@{Key=…; Value=True}`) may be the flag itself: the sign-in cannot be called TLS 1.2+.
  if (list.some((e) => e === null || typeof e !== 'object' || Array.isArray(e))) return 'malformed';
  for (const entry of list) {
    const key = text(member(entry, 'key'));
    if (key === null || !LEGACY_KEY.test(key)) continue;
    const value = text(member(entry, 'value')) ?? '';
    if (value.toLowerCase() === 'true') return { kind: 'flagged', value };
  }
  return { kind: 'clear' };
}

/** Failed when status.errorCode (Graph) or ResultType (Log Analytics) is there and not 0. */
function failed(f: SignInFields): boolean {
  const result = first(f, 'resulttype');
  if (result !== null) return result !== '0';
  const code = text(member(nested(f.get('status')), 'errorCode'));
  return code !== null && code !== '0';
}

/** Graph beta isInteractive, Log Analytics' table name, or Graph v1.0's signInEventTypes. */
function nonInteractive(f: SignInFields): boolean {
  const flag = first(f, 'isinteractive');
  if (flag !== null) return flag.toLowerCase() === 'false';
  const table = first(f, 'type', 'category');
  if (table !== null && /noninteractive/i.test(table)) return true;
  const types = nested(f.get('signineventtypes'));
  return Array.isArray(types) && types.some((t) => t === 'nonInteractiveUser') && !types.includes('interactiveUser');
}

const clean = (s: string): string => s.replace(/[;=]/g, ',');

/** usage.detail: the client app, the device and whether the sign-in was non-interactive, as `name=value; …`. */
function detailOf(f: SignInFields, ni: boolean): string | null {
  const device = nested(f.get('devicedetail'));
  const parts: string[] = [];
  const add = (name: string, v: string | null): void => {
    if (v !== null) parts.push(`${name}=${clean(v)}`);
  };
  add('app', first(f, 'clientappused'));
  add('os', text(member(device, 'operatingSystem')));
  add('browser', text(member(device, 'browser')));
  add('device', text(member(device, 'displayName')));
  if (ni) parts.push('non-interactive');
  return parts.length === 0 ? null : parts.join('; ');
}

export type SignInOutcome = 'counted' | 'duplicate' | 'pruned';

/** Counts one sign-in, or says why not; a record that cannot be used is reported on `ctx.diags` at `line`. */
export function countSignIn(ctx: ParseContext, f: SignInFields, line: number): SignInOutcome | 'bad' {
  const id = first(f, 'id');
  if (id === null) {
    ctx.diags.add('bad_record', line, 'a sign-in without an id: it cannot be counted once, so it was skipped');
    return 'bad';
  }
  const when = first(f, 'createddatetime', 'timegenerated', 'timegenerated [utc]');
  const ts = when === null ? null : parseSignInTime(when);
  if (ts === null) {
    ctx.diags.add('bad_timestamp', line, `sign-in ${id}: no usable time (${when ?? 'none'})`);
    return 'bad';
  }
  const evidence = tlsEvidence(f.get('authenticationprocessingdetails'));
  if (evidence === 'malformed') {
    ctx.diags.add('bad_record', line, `sign-in ${id}: authenticationProcessingDetails is not a list of key/value pairs ` +
      '(from PowerShell, export with ConvertTo-Json -Depth 5 or more)');
    return 'bad';
  }
  const day = ts.slice(0, 10);
  // the row is made only for a sign-in not counted before
  let dims: UsageDims | null = null;
  const dimsOf = (): UsageDims => (dims ??= rowOf(ctx, f, day, evidence));
  const fail = failed(f);
  // ts is YYYY-MM-DDTHH:MM:SSZ
  const second = (): number => Number(ts.slice(11, 13)) * 3600 + Number(ts.slice(14, 16)) * 60 + Number(ts.slice(17, 19));
  const claim = ctx.signIns?.claim(day, id, () => ({ rowKey: dimsRowKey(dimsOf()), second: second(), failed: fail })) ?? 'new';
  if (claim === 'seen') return 'duplicate';
  if (claim === 'pruned') return 'pruned';
  ctx.agg.add(dimsOf(), ts, 1, fail ? 1 : 0);
  return 'counted';
}

/**
 * A string of its own. A value the JSON parser cut out of its input text may be a slice that keeps the whole chunk
 * (64 KiB) alive in V8 as long as the row holds it: each held row then cost kilobytes (bench/RESULTS.md entra-scan).
 */
const own = (s: string | null): string | null => (s === null ? null : Buffer.from(s, 'utf8').toString('utf8'));

/** The usage row of a sign-in to count; its texts are copies (`own`), since the aggregator may hold it long. */
function rowOf(ctx: ParseContext, f: SignInFields, day: string, evidence: Exclude<TlsEvidence, 'malformed'>): UsageDims {
  const upn = first(f, 'userprincipalname');
  const ni = nonInteractive(f);
  return usageDims({
    day,
    source: ENTRA_SOURCE,
    server: ctx.tenant ?? own(first(f, 'resourcetenantid', 'aadtenantid')) ?? DEFAULT_TENANT,
    clientIp: own(first(f, 'ipaddress')),
    username: upn === null ? null : own(upn.toLowerCase()),
    userAgent: own(first(f, 'useragent')),
    endpoint: own(first(f, 'appdisplayname', 'resourcedisplayname')),
    protocol: evidence.kind === 'flagged' ? ENTRA_LEGACY_LABEL : evidence.kind === 'clear' ? ENTRA_MODERN_LABEL : 'unknown',
    protocolCode: evidence.kind === 'flagged' ? own(evidence.value) : null,
    detail: detailOf(f, ni),
  });
}

/** Counts of what a reader did with its sign-ins, kept in its state and reported as notes. */
export interface SignInTally {
  counted: number;
  duplicates: number;
  pruned: number;
}

export const freshTally = (): SignInTally => ({ counted: 0, duplicates: 0, pruned: 0 });

/** Counts the sign-in and keeps the tally; duplicates and pruned days are noted (listed, not bad lines). */
export function takeSignIn(ctx: ParseContext, f: SignInFields, line: number, tally: SignInTally): void {
  const r = countSignIn(ctx, f, line);
  if (r === 'counted') tally.counted++;
  else if (r === 'duplicate') {
    tally.duplicates++;
    ctx.diags.note('duplicate_signin', line, 'a sign-in already counted (same id, from this or another export): counted once');
  } else if (r === 'pruned') {
    tally.pruned++;
    ctx.diags.note('pruned_day', line, 'a sign-in on a day removed by prune: not counted again');
  }
}
