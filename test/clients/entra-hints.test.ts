// The Entra ID hint rules (clients/hints.ts) as the legacy_clients view runs them: every example a rule lists gets its
// hint from the view's CASE, every look-alike it lists does not; a user agent the rules already explain keeps its own.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ENTRA_HINT_RULES } from '../../src/clients/hints.js';
import { ENTRA_HINT_SQL } from '../../src/clients/schema.js';

const db = new Database(':memory:');
const hintOf = db.prepare<[string, string | null, string | null, string | null], { hint: string | null }>(
  `SELECT CASE ${ENTRA_HINT_SQL} END AS hint FROM (SELECT ? AS source, ? AS c_hint, ? AS details, ? AS user_agent)`,
);
const hint = (r: (typeof ENTRA_HINT_RULES)[number], value: string, source = 'entra-signin', cHint: string | null = null) =>
  hintOf.get(source, cHint, r.column === 'details' ? value : null, r.column === 'user_agent' ? value : null)?.hint ?? null;

describe('Entra ID hint rules', () => {
  it('names BAV2ROPC and Authenticated SMTP', () => {
    expect(ENTRA_HINT_RULES.map((r) => r.id)).toEqual(expect.arrayContaining(['authenticated-smtp', 'bav2ropc']));
  });

  for (const r of ENTRA_HINT_RULES) {
    it(`${r.id}: takes its examples, leaves its look-alikes`, () => {
      expect(r.matches.length).toBeGreaterThan(0);
      expect(r.nonMatches.length).toBeGreaterThan(0);
      for (const v of r.matches) expect(hint(r, v), v).toBe(r.hint);
      for (const v of r.nonMatches) expect(hint(r, v), v).not.toBe(r.hint);
    });
    it(`${r.id}: only for Entra ID sign-ins without a hint from the user agent`, () => {
      expect(hint(r, r.matches[0], 'iis')).toBeNull();
      expect(hint(r, r.matches[0], 'entra-signin', 'the user agent rules said so')).toBeNull();
    });
  }

  it('Authenticated SMTP wins over BAV2ROPC: the client app says what the device does', () => {
    expect(hintOf.get('entra-signin', null, 'app=Authenticated SMTP; non-interactive', 'BAV2ROPC')?.hint).toMatch(/^SMTP AUTH/);
    expect(hintOf.get('entra-signin', null, 'app=Other clients', 'BAV2ROPC')?.hint).toMatch(/^legacy authentication \(BAV2ROPC/);
  });
});
