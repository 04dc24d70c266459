// Every client rule is checked against its own examples: each positive UA is claimed by that rule with the
// expected client name and TLS 1.2 verdict, each look-alike is left to another rule. The tables drive the tests.
import { describe, expect, it } from 'vitest';
import { HINTS } from '../../src/clients/hints.js';
import { CLASSIFIER_VERSION, identify } from '../../src/clients/identify.js';
import { FALLBACK_RULE, RULES } from '../../src/clients/rules.js';

describe('client rule tables', () => {
  it('rule ids are unique and the fallback comes last', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(RULES[RULES.length - 1]).toBe(FALLBACK_RULE);
    expect(CLASSIFIER_VERSION).toBeGreaterThanOrEqual(1);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s carries positive and negative examples', (_id, rule) => {
    expect(rule.matches.length).toBeGreaterThan(0);
    expect(rule.nonMatches.length).toBeGreaterThan(0);
  });

  const positives = RULES.flatMap((r) => r.matches.map((m) => [r.id, m.ua, m] as const));
  it.each(positives)('%s claims %s', (id, ua, example) => {
    const got = identify(ua);
    expect({ rule: got.rule, client: got.client, tls12: got.tls12Capable }).toEqual({
      rule: id,
      client: example.client,
      tls12: example.tls12,
    });
  });

  const negatives = RULES.flatMap((r) => r.nonMatches.map((ua) => [r.id, ua] as const));
  it.each(negatives)('%s leaves %s to another rule', (id, ua) => {
    expect(identify(ua).rule).not.toBe(id);
  });

  it('every hint is produced by at least one example', () => {
    const produced = new Set(positives.map(([, ua]) => identify(ua).hint));
    const unused = Object.entries(HINTS).filter(([, text]) => !produced.has(text)).map(([id]) => id);
    expect(unused).toEqual([]);
  });

  it('hints are short enough for a report cell', () => {
    for (const text of Object.values(HINTS)) expect(text.length).toBeLessThanOrEqual(110);
  });
});

describe('traps', () => {
  it('IE 11 in compatibility view is capable, real IE 10 on Windows 7 is not', () => {
    expect(identify('Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/7.0)').tls12Capable).toBe('yes');
    expect(identify('Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)').tls12Capable).toBe('no');
  });

  it('Windows Phone 8.1 saying "Android 4.0" is not an old Android', () => {
    const wp = identify(
      'Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 930) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537',
    );
    expect(wp.family).not.toBe('Android');
    expect(wp.os).toBe('Windows Phone 8.1');
    expect(wp.tls12Capable).toBe('yes');
  });

  it('Chrome on old Android brings its own TLS and is not the platform stack', () => {
    const c = identify('Mozilla/5.0 (Linux; Android 4.1.2; GT-I9100 Build/JZO54K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/45.0.2454.94 Mobile Safari/537.36');
    expect(c.rule).toBe('chromium');
    expect(c.tls12Capable).toBe('yes');
  });

  it('a scanner faking IE 8 is a scanner', () => {
    const s = identify('Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; Nmap Scripting Engine)');
    expect(s.noise).toBe('scanner');
  });

  it('any string gets an answer, including empty, huge and control characters', () => {
    expect(identify('').rule).toBe('other');
    expect(identify('x'.repeat(100_000)).client.length).toBeLessThanOrEqual(60);
    expect(identify('\u001b[31mred\u0000').tls12Capable).toBe('unknown');
  });
});
