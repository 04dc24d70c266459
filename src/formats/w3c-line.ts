// Tokenizing W3C extended log lines and directives, shared by the IIS and HTTP.sys formats.
// Written by hand (see bench/RESULTS.md): String.split on single spaces, with fallbacks only for malformed lines.

export interface W3cDirective {
  readonly name: string; // lower case: fields, software, date, version, …
  readonly value: string;
}

/** "#Fields: a b", "# Fields: a b", "#Version: 1.0   // comment" → name and value; null for other "#" lines. */
/** The directives among a file's first lines, in order (a format's sniff reads these). */
export function* w3cDirectives(head: readonly string[]): Generator<W3cDirective> {
  for (const line of head) {
    const d = line.charCodeAt(0) === 35 ? parseW3cDirective(line) : null;
    if (d !== null) yield d;
  }
}

export function parseW3cDirective(line: string): W3cDirective | null {
  const m = /^#\s*([A-Za-z][A-Za-z-]*)\s*:\s?(.*)$/.exec(line);
  if (!m) return null;
  const name = m[1].toLowerCase();
  let value = m[2];
  if (name !== 'fields') {
    const comment = value.indexOf('//');
    if (comment >= 0) value = value.slice(0, comment);
  }
  return { name, value: value.trim() };
}

/**
 * The n tokens of a data line, or null when it does not have n. Tries, in order: single spaces (what IIS
 * writes), runs of spaces and trailing blanks (hand-edited and some real files), then double-quoted values.
 */
export function splitW3cLine(line: string, n: number): string[] | null {
  const t = line.split(' ');
  if (t.length === n) return t;
  const loose = line.trim().split(/ +/);
  if (loose.length === n) return loose;
  if (line.includes('"')) {
    const quoted = splitQuoted(line);
    if (quoted.length === n) return quoted;
  }
  return null;
}

function splitQuoted(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  }
  return out;
}
