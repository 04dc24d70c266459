// Escaping for the HTML report: text and attribute values, and JSON placed inside a <script> element.
// Everything that came from a log goes through one of these two functions before it reaches the page.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: the five HTML specials become entities; control characters become U+FFFD. */
export function escapeHtml(s: string | null): string {
  return (s ?? '-').replace(/[&<>"']/g, (c) => ENTITIES[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}

/** JSON inside <script>: "<", ">", "&" and the JS line separators as \u escapes, so no "</script>" or "<!--" survives. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
