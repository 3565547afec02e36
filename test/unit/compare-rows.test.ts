import { describe, expect, it } from 'vitest';
import { compareRows } from '../../src/commands/compare/diff.js';

/** What two users see of one query (src/commands/compare/diff.ts). */
describe('compareRows', () => {
  const row = (id: string, extra: Record<string, unknown> = {}) => ({ '@odata.etag': `W/"${id}"`, accountid: id, name: `Account ${id}`, ...extra });

  it('rows only one side sees, by id', () => {
    const difference = compareRows([row('a'), row('b')], [row('b'), row('c')], 'accountid', 'name');
    expect(difference).toEqual({ both: 1, onlyFirst: [{ id: 'a', name: 'Account a' }], onlySecond: [{ id: 'c', name: 'Account c' }], columns: [] });
  });

  it('a column one side gets empty (column security) or different; annotations are not data', () => {
    const first = [row('a', { revenue: 100, 'revenue@OData.Community.Display.V1.FormattedValue': '$100', city: 'Oslo' })];
    const second = [row('a', { revenue: null, 'revenue@OData.Community.Display.V1.FormattedValue': '', city: 'Oslo' })];
    expect(compareRows(first, second, 'accountid', 'name').columns).toEqual([{ id: 'a', name: 'Account a', column: 'revenue', first: 100, second: null }]);
  });
});
