// Replaces one scenario's section of bench/RESULTS.md, between <!-- results:NAME --> and <!-- /results:NAME -->.
// It never touches the rest of the file; a missing section is appended at the end.
import { readFileSync, writeFileSync } from 'node:fs';

export function replaceSection(file, name, body) {
  const open = `<!-- results:${name} -->`;
  const close = `<!-- /results:${name} -->`;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const section = `${open}\n${body.trim()}\n${close}`;
  const next = start >= 0 && end > start
    ? text.slice(0, start) + section + text.slice(end + close.length)
    : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
