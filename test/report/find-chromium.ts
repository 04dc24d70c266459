// Where the browser test finds its Chromium (never a download): CHROME_PATH if set, else `chromium`,
// `chromium-browser` or `google-chrome` on PATH; on Windows also Chrome's usual install folders. The answer says why,
// so the test can skip with a line telling how to enable it, or fail where a browser is required (CI=true).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

export type ChromiumLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

export const ENABLE_HINT =
  'install Chromium (Debian/Ubuntu: "apt-get install chromium") or set CHROME_PATH to a Chrome or Chromium executable';

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Candidate files for `name` in the folders of PATH (with PATHEXT's extensions on Windows). */
function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  const dirs = (env.PATH ?? env.Path ?? '').split(p.delimiter).filter(Boolean);
  return dirs.flatMap((d) => exts.map((e) => p.join(d, name + e.toLowerCase())));
}

/** Chrome's per-machine and per-user install folders on Windows (not on PATH there). */
function windowsInstalls(env: NodeJS.ProcessEnv): string[] {
  const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
  return roots.map((r) => path.win32.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'));
}

export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ChromiumLookup {
  const named = env.CHROME_PATH;
  if (named) {
    return isExecutable(named, platform)
      ? { found: true, path: named }
      : { found: false, reason: `CHROME_PATH=${named} is not an executable file` };
  }
  const candidates = [
    ...CHROMIUM_NAMES.flatMap((n) => onPath(n, env, platform)),
    ...(platform === 'win32' ? windowsInstalls(env) : []),
  ];
  const hit = candidates.find((c) => isExecutable(c, platform));
  return hit !== undefined
    ? { found: true, path: hit }
    : { found: false, reason: `no ${CHROMIUM_NAMES.join(', ')} on PATH and CHROME_PATH is not set` };
}

/** CI=true (GitHub Actions, .ci/run): a browser test that cannot run is a failure there, not a skip. */
export const requireBrowser = (env: NodeJS.ProcessEnv = process.env): boolean =>
  !!env.CI && !/^(0|false|no)$/i.test(env.CI);
