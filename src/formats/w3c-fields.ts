// `scan --fields`: the W3C field list for IIS and HTTP.sys logs that carry no #Fields of their own (excerpts, exports
// that lost their header). The names are checked against the W3C identifiers IIS, HTTP.sys and the W3C draft write,
// so a mistyped name is a usage error rather than a column silently read as something else; and a file's first lines
// decide whether they fit the list.

/** Field names IIS (W3C extended), HTTP.sys (HTTPERR) and the W3C draft write, lower case. */
const NAMES = new Set([
  // IIS W3C extended, in IIS order, and IIS Advanced Logging's local time
  'date', 'time', 's-sitename', 's-computername', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port',
  'cs-username', 'c-ip', 'cs-version', 'cs-host', 'sc-status', 'sc-substatus', 'sc-win32-status', 'sc-bytes', 'cs-bytes',
  'time-taken', 'date-local', 'time-local',
  // the TLS custom fields and the forwarded-address fields the parser reads
  'crypt-protocol', 'crypt-cipher', 'crypt-hash', 'crypt-keyexchange', 'originalclientip', 'originalip', 'x-original-client-ip',
  // HTTP.sys error logs
  'c-port', 'cs-uri', 'streamid', 'streamid_ex', 's-siteid', 's-reason', 's-queuename', 'transport', 'fault-code',
  'extended-fault-code',
  // the W3C draft's identifiers (https://www.w3.org/TR/WD-logfile): bytes, cached, and prefixed ip, dns, status, …
  'bytes', 'cached', 'interval', 'count',
  ...['c', 's', 'r', 'cs', 'sc', 'sr', 'rs'].flatMap((p) =>
    ['ip', 'dns', 'status', 'comment', 'method', 'uri', 'uri-stem', 'uri-query', 'auth-id'].map((id) => `${p}-${id}`)),
]);

/** A header field, `cs(User-Agent)`, or an application-specific `x-…` field (the W3C draft's prefix). */
const HEADER_OR_X = /^(?:(?:c|s|r|cs|sc|sr|rs)\([\w-]+\)|x-[\w-]+)$/;

/** The names of a --fields value (space- or comma-separated), or the first name that is not a W3C field. */
export function parseW3cFields(value: string, custom: readonly string[]): { names: string[] } | { unknown: string } {
  const names = value.split(/[\s,]+/).filter((n) => n !== '');
  const extra = new Set(custom.map((n) => n.toLowerCase()));
  for (const n of names) {
    const low = n.toLowerCase();
    if (!NAMES.has(low) && !HEADER_OR_X.test(low) && !extra.has(low)) return { unknown: n };
  }
  return { names };
}

/** Does the list name a date and a time? A file without directives has no #Date to date time-only lines. */
export const hasDateAndTime = (names: readonly string[]): boolean => {
  const low = names.map((n) => n.toLowerCase());
  return (low.includes('date') || low.includes('date-local')) && (low.includes('time') || low.includes('time-local'));
};

const HEAD_SAMPLE = 20;
const LABELS: Readonly<Record<string, string>> = { 'iis-w3c': 'W3C', httperr: 'HTTP.sys' };

/** The W3C formats --fields applies to. */
export const takesW3cFields = (format: string): boolean => format in LABELS;

/**
 * For a W3C file without #Fields of its own (`format`: the format that reads it): the --fields list as its layout,
 * when most of its first data lines have as many values as it names; else why the file is skipped.
 */
export function w3cLayoutFromOption(format: string, head: readonly string[], names: readonly string[]):
  { readonly format: string; readonly state: unknown; readonly layout: string } | { readonly skip: string } {
  const data = head.filter((l) => l.trim().length > 0 && l.charCodeAt(0) !== 35).slice(0, HEAD_SAMPLE);
  const counts = data.map((l) => l.trim().split(/\s+/).length);
  const fit = counts.filter((c) => c === names.length).length;
  if (fit * 2 <= data.length || data.length === 0) {
    const first = data.length === 0 ? 'it has no data lines yet' : `its first line has ${counts[0]} values`;
    return { skip: `not a recognized log: no #Fields of its own, and its lines do not fit the ${names.length} fields given by --fields (${first})` };
  }
  const fields = names.join(' ');
  return {
    format,
    // the state of IIS and HTTP.sys parsers as if a #Fields line had been read (no #Date: the lines carry dates)
    state: { fields, date: null, lastTime: null },
    layout: `${LABELS[format] ?? format} fields given by --fields: ${fields}`,
  };
}
