// Shapes shared by the client rules: what a rule decides about one user agent, and the examples it carries.
// Rules are data plus one small test function each; identify.ts runs them in order, first match wins.
import type { IResult } from 'ua-parser-js';
import type { HintId } from './hints.js';

/** `yes`: uses TLS 1.2 as shipped/by default. `no`: does not without the update, setting or replacement the hint names. */
export type Tls12Capable = 'yes' | 'no' | 'unknown';

/** Noise classes: legacy traffic that is not a user's client (see noise.ts). */
export type NoiseClass = 'managed-availability' | 'health-check' | 'challenge-only' | 'scanner' | 'password-spray';

/** What a rule says about one user agent. */
export interface ClientMatch {
  /** Readable, e.g. "Outlook 2010 on Windows 7", "iPhone ActiveSync (iOS 12.4)". */
  readonly client: string;
  /** Product family, e.g. "Outlook", "Internet Explorer", "ActiveSync", ".NET Framework". */
  readonly family: string;
  readonly version: string | null;
  readonly os: string | null;
  readonly tls12: Tls12Capable;
  readonly hint: HintId | null;
  /** Set only by rules whose user agent alone marks noise (probes, monitors, scanners). */
  readonly noise?: NoiseClass;
}

/** The user agent once, with the costly views of it computed on first use. */
export interface UaContext {
  /** As stored: IIS `+` already decoded to spaces. */
  readonly ua: string;
  /** The UA parser's reading (browser, OS, device), parsed lazily. */
  parsed(): IResult;
  /** "Windows NT 6.1" → 6.1; null when the UA names no Windows NT version. */
  readonly windowsNt: number | null;
}

/** A user agent a rule must claim, and what it must say about it. */
export interface RuleExample {
  readonly ua: string;
  readonly client: string;
  readonly tls12: Tls12Capable;
}

export interface ClientRule {
  readonly id: string;
  readonly test: (ctx: UaContext) => ClientMatch | null;
  /** At least one; each is identified by this rule with this client name and capability. */
  readonly matches: readonly RuleExample[];
  /** At least one look-alike that another rule (or none) must take: the traps. */
  readonly nonMatches: readonly string[];
}
