import { describe, expect, it } from 'vitest';
import { defineTable } from '../../src/emulator/metadata/define.js';
import { nextLink, pageSizeFor, pageStart, readSkipToken, skipTokenAfter } from '../../src/emulator/odata/paging.js';
import { parsePrefer } from '../../src/emulator/http/prefer.js';
import { ODataError } from '../../src/emulator/http/errors.js';

const table = defineTable({ logicalName: 'widget', objectTypeCode: 10_001, ownershipType: 'OrganizationOwned', columns: [{ name: 'name', type: 'String' }] });
const rows = ['a', 'b', 'c', 'd', 'e'].map((letter) => ({ widgetid: `0000000${letter}-0000-4000-8000-000000000000`, name: letter }));

describe('paging cookies', () => {
  it('round-trips the page number and the last row of the page', () => {
    const token = skipTokenAfter(table, 1, rows[0] as (typeof rows)[0], rows[1] as (typeof rows)[0]);
    expect(token).toBe(
      '<cookie pagenumber="2" pagingcookie="%3ccookie%20page%3d%221%22%3e%3cwidgetid%20last%3d%22%7b0000000B-0000-4000-8000-000000000000%7d%22%20first%3d%22%7b0000000A-0000-4000-8000-000000000000%7d%22%20%2f%3e%3c%2fcookie%3e" istracking="False" />',
    );
    expect(readSkipToken(token)).toEqual({ pageNumber: 2, lastId: rows[1]?.widgetid });
  });

  it('continues after the last row, or by page number when that row is gone', () => {
    expect(pageStart(rows, table, undefined, 2)).toBe(0);
    expect(pageStart(rows, table, { pageNumber: 2, lastId: rows[1]?.widgetid }, 2)).toBe(2);
    expect(pageStart(rows.slice(2), table, { pageNumber: 2, lastId: rows[1]?.widgetid }, 2)).toBe(2);
  });

  it('refuses a token the service would not have issued', () => {
    expect(() => readSkipToken('page2')).toThrow(ODataError);
  });

  it('replaces the skiptoken of the request URL and encodes the new one as the service does', () => {
    const link = nextLink('http://h', '/api/data/v9.2/widgets?$select=name&%24skiptoken=old&$top=2', '<cookie pagenumber="3" pagingcookie="%3c" istracking="False" />');
    expect(link).toBe('http://h/api/data/v9.2/widgets?$select=name&$top=2&$skiptoken=%3Ccookie%20pagenumber=%223%22%20pagingcookie=%22%253c%22%20istracking=%22False%22%20/%3E');
  });

  it('applies a max page size of at most 5,000', () => {
    expect(pageSizeFor(parsePrefer('odata.maxpagesize=10'))).toEqual({ size: 10, applied: true });
    expect(pageSizeFor(parsePrefer('odata.maxpagesize=9000'))).toEqual({ size: 5000, applied: false });
    expect(pageSizeFor(parsePrefer(undefined))).toEqual({ size: 5000, applied: false });
  });
});
