// User agent → client, family, version, OS, "can it do TLS 1.2?", fix hint and UA-only noise class.
// Pure and total: any string gets an answer (the fallback rule); no I/O. Storage is in refresh.ts.
import { HINTS } from './hints.js';
import { RULES } from './rules.js';
import type { NoiseClass, Tls12Capable } from './types.js';
import { uaContext } from './ua-context.js';

/**
 * Bump when a rule, hint or the UA parser changes what identify() returns: stored classifications
 * of an older version are redone on the next scan or report.
 */
export const CLASSIFIER_VERSION = 2;

export interface ClientIdentity {
  readonly client: string;
  readonly family: string;
  readonly version: string | null;
  readonly os: string | null;
  readonly tls12Capable: Tls12Capable;
  readonly hint: string | null;
  readonly noise: NoiseClass | null;
  /** Id of the rule that decided, for `SELECT … FROM clients WHERE rule = …`. */
  readonly rule: string;
}

/** User agents longer than this are cut before matching (IIS allows long ones; none needs more). */
const MAX_UA = 1024;

export function identify(userAgent: string): ClientIdentity {
  const ctx = uaContext(userAgent.slice(0, MAX_UA));
  for (const rule of RULES) {
    const v = rule.test(ctx);
    if (v === null) continue;
    return {
      client: v.client,
      family: v.family,
      version: v.version,
      os: v.os,
      tls12Capable: v.tls12,
      hint: v.hint === null ? null : HINTS[v.hint],
      noise: v.noise ?? null,
      rule: rule.id,
    };
  }
  throw new Error('unreachable: the fallback rule always answers');
}
