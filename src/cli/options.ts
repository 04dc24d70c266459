// Flag values → engine options, validated once here; messages name the flag, what it expects and what it got.
import { CensusError } from '../errors.js';
import type { ReportPeriod } from '../aggregate/report-rows.js';
import { parsePeriodOption } from '../formats/exo-period.js';
import { DEFAULT_FIELD_MAP } from '../formats/iis-w3c.js';
import { hasDateAndTime, parseW3cFields } from '../formats/w3c-fields.js';

export function invalid(flag: string, expect: string, got: unknown): CensusError {
  return new CensusError('USAGE', `Invalid option ${flag}: expect ${expect}, got ${JSON.stringify(got)}`);
}

/** "--field-map crypt-protocol=TLSProto,crypt-cipher=TLSCipher" → the full field map, names in lower case. */
export function parseFieldMap(values: readonly string[] | undefined): Readonly<Record<string, string>> {
  const map: Record<string, string> = { ...DEFAULT_FIELD_MAP };
  for (const value of values ?? []) {
    for (const pair of value.split(',')) {
      if (pair.trim() === '') continue;
      const m = /^\s*([\w-]+)\s*=\s*(\S+)\s*$/.exec(pair);
      const key = m?.[1].toLowerCase();
      if (!m || key === undefined || !(key in DEFAULT_FIELD_MAP)) {
        throw invalid('--field-map', `${Object.keys(DEFAULT_FIELD_MAP).join('|')}=FIELD[,…]`, value);
      }
      map[key] = m[2].toLowerCase();
    }
  }
  return map;
}

/**
 * --fields "date time s-ip …" (W3C field names, space- or comma-separated) → the names. A name that is no W3C field
 * (IIS, HTTP.sys, the W3C draft, `cs(Header)`, `x-…`, or a name given to --field-map) is a usage error.
 */
export function parseW3cFieldsOption(value: unknown, fieldMap: Readonly<Record<string, string>>): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const expect = 'W3C field names with date and time, space- or comma-separated, once (e.g. "date time s-ip cs-method …")';
  if (typeof value !== 'string') throw invalid('--fields', expect, value);
  const r = parseW3cFields(value, Object.values(fieldMap));
  if ('unknown' in r) {
    throw new CensusError('USAGE', `Invalid option --fields: ${JSON.stringify(r.unknown)} is not a W3C field name ` +
      '(IIS, HTTP.sys or W3C draft names, cs(Header), x-…, or a name given to --field-map)');
  }
  if (!hasDateAndTime(r.names)) throw invalid('--fields', expect, value);
  return r.names;
}

/** --server-name: a name as Windows would write it, no path separators or control characters. */
export function parseServerName(v: unknown, flag = '--server-name'): string | null {
  if (v === undefined) return null;
  const name = typeof v === 'string' ? v.trim() : '';
  if (!/^[^\\/\s\p{Cc}]{1,255}$/u.test(name)) throw invalid(flag, 'a server name without spaces or slashes', v);
  return name;
}

export function positiveInt(flag: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalid(flag, 'a whole number ≥ 1', v);
  return v;
}

/** --tenant NAME: a non-empty name, trimmed. */
export function tenantName(v: unknown): string {
  const name = typeof v === 'string' ? v.trim() : '';
  if (name === '') throw invalid('--tenant', 'a name such as contoso.onmicrosoft.com', v);
  return name;
}

/** "--period 2024-03-04..2024-03-10" → inclusive days; undefined when the flag is not given. */
export function parsePeriod(v: unknown): ReportPeriod | undefined {
  if (v === undefined) return undefined;
  const period = typeof v === 'string' ? parsePeriodOption(v) : null;
  if (period === null) throw invalid('--period', 'START..END as YYYY-MM-DD..YYYY-MM-DD, START not after END', v);
  return period;
}
