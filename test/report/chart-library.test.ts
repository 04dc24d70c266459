// The Chart.js the HTML report inlines is the installed chart.js, taken at build time (npm run build:chart).
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module of the build scripts, without types
import { chartSource } from '../../scripts/build-chart.mjs';
import { CHART_JS, CHART_JS_VERSION } from '../../src/report/chart-library.js';

describe('chart-library.ts', () => {
  it('is the installed chart.js (after upgrading it, run npm run build:chart)', () => {
    const { version, text } = chartSource();
    expect(CHART_JS_VERSION).toBe(version);
    expect(CHART_JS === text).toBe(true);
    expect(CHART_JS).not.toMatch(/sourceMappingURL|<\/script|<!--/i);
  });
});
