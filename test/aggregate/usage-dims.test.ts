// The dimension ↔ column map is the schema's: the view `usage` has exactly these columns in this order, and
// usageDims / dimsOfColumns fill what is left out with NULL (internal 0) and round-trip through the columns.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIM_COLUMNS, DIM_KEYS, dimsOfColumns, USAGE_COLUMNS, usageDims } from '../../src/aggregate/usage-dims.js';
import { openDatabase } from '../../src/store/open-database.js';
import { tempDir } from '../helpers.js';

describe('usage dimensions', () => {
  it('are the columns of the view usage, in order', () => {
    const db = openDatabase(join(tempDir(), 'dims.db'));
    try {
      const columns = db.prepare(`SELECT name FROM pragma_table_info('usage') ORDER BY cid`).pluck().all();
      expect(columns).toEqual([...USAGE_COLUMNS]);
    } finally {
      db.close();
    }
  });

  it('default to NULL (internal 0), and read back from their columns', () => {
    const d = usageDims({ day: '2024-03-11', source: 'iis', protocol: 'TLS 1.0', clientIp: '10.0.0.1', internal: 1 });
    expect(Object.keys(d)).toEqual(DIM_KEYS);
    expect(d).toMatchObject({ server: null, userAgent: null, detail: null, clientIp: '10.0.0.1', internal: 1 });
    const columns = Object.fromEntries(DIM_KEYS.map((k) => [DIM_COLUMNS[k], d[k]]));
    expect(dimsOfColumns(columns as Parameters<typeof dimsOfColumns>[0])).toEqual(d);
    expect(dimsOfColumns({ day: '2024-03-11', source: 'iis', protocol: 'TLS 1.0' })).toEqual(
      usageDims({ day: '2024-03-11', source: 'iis', protocol: 'TLS 1.0' }),
    );
  });
});
