// How the browser test finds Chromium: CHROME_PATH first, then the three names on PATH in order; nothing found says
// why; CI=true requires the browser.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { findChromium, requireBrowser } from './find-chromium.js';

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe.skipIf(process.platform === 'win32')('findChromium (POSIX)', () => {
  it('takes the first of chromium, chromium-browser, google-chrome on PATH, folder by folder', () => {
    const root = tempDir();
    const a = join(root, 'a');
    const b = join(root, 'b');
    executable(a, 'google-chrome');
    const browser = executable(b, 'chromium-browser');
    expect(findChromium({ PATH: [a, b].join(delimiter) }, 'linux')).toEqual({ found: true, path: browser });
    const chromium = executable(b, 'chromium');
    expect(findChromium({ PATH: [a, b].join(delimiter) }, 'linux')).toEqual({ found: true, path: chromium });
    expect(findChromium({ PATH: a }, 'linux')).toEqual({ found: true, path: join(a, 'google-chrome') });
  });

  it('skips files that are not executable and folders named like a browser', () => {
    const root = tempDir();
    writeFileSync(join(root, 'chromium'), 'not a program');
    mkdirSync(join(root, 'chromium-browser'));
    const r = findChromium({ PATH: root }, 'linux');
    expect(r.found).toBe(false);
    expect(!r.found && r.reason).toMatch(/no chromium, chromium-browser, google-chrome on PATH/);
  });

  it('CHROME_PATH wins over PATH, and a CHROME_PATH that is no program is reported, not replaced', () => {
    const root = tempDir();
    executable(root, 'chromium');
    const mine = executable(join(root, 'mine'), 'chrome');
    expect(findChromium({ PATH: root, CHROME_PATH: mine }, 'linux')).toEqual({ found: true, path: mine });
    const wrong = join(root, 'nowhere', 'chrome');
    expect(findChromium({ PATH: root, CHROME_PATH: wrong }, 'linux')).toEqual({
      found: false,
      reason: `CHROME_PATH=${wrong} is not an executable file`,
    });
  });
});

describe('requireBrowser', () => {
  it('is on for CI=true or 1, off when CI is unset, empty, false or 0', () => {
    expect(requireBrowser({ CI: 'true' })).toBe(true);
    expect(requireBrowser({ CI: '1' })).toBe(true);
    for (const CI of [undefined, '', 'false', '0', 'FALSE']) expect(requireBrowser({ CI })).toBe(false);
  });
});
