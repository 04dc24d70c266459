// Is it a sign-in, or a document of sign-ins? By content only: the keys a signIn object (Graph) or a
// SigninLogs / AADNonInteractiveUserSignInLogs row (Log Analytics) always has, in either spelling.

/** An object with an id, a time, and a user, address or the TLS details field. */
export function looksLikeSignIn(obj: Record<string, unknown>): boolean {
  const keys = new Set(Object.keys(obj).map((k) => k.toLowerCase()));
  return keys.has('id') && (keys.has('createddatetime') || keys.has('timegenerated')) &&
    (keys.has('userprincipalname') || keys.has('ipaddress') || keys.has('authenticationprocessingdetails'));
}

const TIME_KEY = /"(?:createdDateTime|TimeGenerated)"\s*:/i;
const USER_KEY = /"(?:userPrincipalName|ipAddress|authenticationProcessingDetails)"\s*:/i;
const GRAPH_PAGE = /"@odata\.context"\s*:\s*"[^"]*signIns/i;

/** A JSON document (Graph page, portal array, Log Analytics JSON) whose first sign-in shows in the head. */
export function looksLikeSignInDocument(head: readonly string[]): boolean {
  const text = head.join('\n').trimStart();
  if (text[0] !== '{' && text[0] !== '[') return false;
  return GRAPH_PAGE.test(text) || (/"id"\s*:/i.test(text) && TIME_KEY.test(text) && USER_KEY.test(text));
}
