// Which Exchange (or other) application a request went to, from the first segment of cs-uri-stem.
// Matching is case-insensitive; anything that is not a known Exchange virtual directory is "other".

const ENDPOINTS: ReadonlyMap<string, string> = new Map([
  ['owa', 'OWA'],
  ['ecp', 'ECP'],
  ['ews', 'EWS'],
  ['microsoft-server-activesync', 'ActiveSync'],
  ['mapi', 'MAPI'],
  ['rpc', 'RPC'],
  ['rpcwithcert', 'RPC'],
  ['autodiscover', 'Autodiscover'],
  ['oab', 'OAB'],
  ['powershell', 'PowerShell'],
  ['api', 'API'],
]);

/** The endpoint of a first path segment ("owa", "EWS", "Microsoft-Server-ActiveSync"). */
export function endpointOfSegment(seg: string): string {
  return ENDPOINTS.get(seg) ?? ENDPOINTS.get(seg.toLowerCase()) ?? 'other';
}

export function endpointOf(stem: string): string {
  if (stem.charCodeAt(0) !== 47) return 'other'; // not starting with "/" (also "-")
  const end = stem.indexOf('/', 1);
  return endpointOfSegment(end < 0 ? stem.slice(1) : stem.slice(1, end));
}

/** Endpoint names by index for the byte path; index 0 is "other". */
export const ENDPOINT_LABELS: readonly string[] = ['other', ...ENDPOINTS.values()];
// Each known segment as lower-case bytes with its label's index, by length.
const SEGMENTS_BY_LENGTH: { bytes: Buffer; index: number }[][] = [];
for (const [segment, label] of ENDPOINTS) {
  (SEGMENTS_BY_LENGTH[segment.length] ??= []).push({ bytes: Buffer.from(segment, 'latin1'), index: ENDPOINT_LABELS.indexOf(label) });
}

/**
 * `endpointOf` over the bytes of a cs-uri-stem, `buf[start, end)`: the index in ENDPOINT_LABELS. The known
 * segments are letters and "-", so OR-ing 0x20 lowers exactly the bytes that can match.
 */
export function endpointIndexOfBytes(buf: Buffer, start: number, end: number): number {
  if (start >= end || buf[start] !== 47) return 0;
  let j = start + 1;
  while (j < end && buf[j] !== 47) j++;
  const list = SEGMENTS_BY_LENGTH[j - start - 1];
  if (list === undefined) return 0;
  for (let s = 0; s < list.length; s++) {
    const bytes = list[s].bytes;
    let k = 0;
    while (k < bytes.length && (buf[start + 1 + k] | 0x20) === bytes[k]) k++;
    if (k === bytes.length) return list[s].index;
  }
  return 0;
}
