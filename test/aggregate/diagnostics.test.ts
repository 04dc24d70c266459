// The closed set of diagnostic codes: the README's `diagnostics` table is this list, row for row, and the counter
// counts only bad-line codes as bad lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, DiagnosticCounter } from '../../src/aggregate/diagnostics.js';

describe('diagnostic codes', () => {
  it('are the table the schema reference (docs/schema.md) documents, no more, no fewer', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'schema.md'), 'utf8');
    const start = readme.indexOf('### table `diagnostics`');
    const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
    const documented = [...section.matchAll(/^\| `(\w+)` \| (yes|no) \| (.*) \|$/gm)].map((m) => [m[1], m[2] === 'yes', m[3]]);
    expect(documented).toEqual(Object.entries(DIAGNOSTIC_CODES).map(([code, d]) => [code, d.bad, d.meaning]));
  });

  it('count bad lines, list noted ones without counting them', () => {
    const diags = new DiagnosticCounter('f.log');
    diags.add('field_count', 3, 'first');
    diags.add('field_count', 9, 'second');
    diags.note('bad_address', 4, 'kept');
    expect(diags.total).toBe(2);
    expect(diags.drain()).toEqual([
      { code: 'field_count', count: 2, firstLine: 3, message: 'first' },
      { code: 'bad_address', count: 1, firstLine: 4, message: 'kept' },
    ]);
    // @ts-expect-error a code outside the union does not compile
    diags.add('no_such_code', 1, 'x');
    // @ts-expect-error a kept-line code is noted, not counted
    diags.add('duplicate_sequence', 1, 'x');
  });
});
