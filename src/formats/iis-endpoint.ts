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
/** Each known segment (lower case) with the index of its label in ENDPOINT_LABELS. */
export const ENDPOINTS_BY_SEGMENT: readonly (readonly [string, number])[] = [...ENDPOINTS].map(([segment, label]) => [
  segment,
  ENDPOINT_LABELS.indexOf(label),
]);
