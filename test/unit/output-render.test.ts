import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../../src/options/global-options.js';
import type { Column } from '../../src/output/columns.js';
import { csvField, renderCsv } from '../../src/output/csv.js';
import { renderList, renderRecord } from '../../src/output/render.js';
import { fitWidths, renderRecordTable, renderTable } from '../../src/output/table.js';

interface User {
  fullname: string;
  systemuserid: string;
  isdisabled: boolean;
  createdon: Date | null;
}

const users: User[] = [
  { fullname: 'Sam Sales', systemuserid: '11111111-1111-1111-1111-111111111111', isdisabled: false, createdon: new Date('2024-01-02T03:04:05Z') },
  { fullname: 'Dana', systemuserid: '22222222-2222-2222-2222-222222222222', isdisabled: true, createdon: null },
];

const columns: Column<User>[] = [
  { header: 'name', value: (user) => user.fullname, paint: (text, chalk) => chalk.bold(text) },
  { header: 'id', value: (user) => user.systemuserid },
  { header: 'disabled', value: (user) => user.isdisabled },
  { header: 'created', value: (user) => user.createdon },
];

const noColor = new Chalk({ level: 0 });
const color = new Chalk({ level: 1 });

describe('renderTable', () => {
  it('aligns columns under upper-case headers on a terminal, with no trailing spaces', () => {
    expect(renderTable(users, columns, { isTTY: true, chalk: noColor })).toBe(
      [
        'NAME       ID                                    DISABLED  CREATED',
        'Sam Sales  11111111-1111-1111-1111-111111111111  false     2024-01-02T03:04:05.000Z',
        'Dana       22222222-2222-2222-2222-222222222222  true',
        '',
      ].join('\n'),
    );
  });

  it('cuts shrinkable columns with … to fit a narrow terminal, and never an id', () => {
    const shrinking = columns.map((column) => (column.header === 'name' || column.header === 'created' ? { ...column, shrink: true } : column));
    const text = renderTable(users, shrinking, { isTTY: true, chalk: noColor, columns: 70 });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(70);
    expect(text).toContain('11111111-1111-1111-1111-111111111111');
    expect(text).toContain('2024-01-02…');
    // Wide enough: nothing is cut.
    expect(renderTable(users, shrinking, { isTTY: true, chalk: noColor, columns: 200 })).toBe(renderTable(users, columns, { isTTY: true, chalk: noColor }));
  });

  it.each([
    [[20, 36, 30], [true, false, true], 80, [20, 36, 20]],
    [[20, 36, 30], [true, false, true], 60, [10, 36, 10]],
    [[20, 36, 30], [true, false, true], 50, [8, 36, 8]],
    [[20, 36, 30], [false, false, false], 60, [20, 36, 30]],
    [[20, 36, 30], [true, false, true], undefined, [20, 36, 30]],
  ])('fitWidths(%j, %j, %s) → %j (widest shrinkable first, never below 8)', (widths, shrinkable, available, expected) => {
    expect(fitWidths(widths, shrinkable, available)).toEqual(expected);
  });

  it('prints tab-separated rows with no header and no colour off a terminal (as gh does)', () => {
    const text = renderTable(users, columns, { isTTY: false, chalk: color });
    expect(text).toBe(
      'Sam Sales\t11111111-1111-1111-1111-111111111111\tfalse\t2024-01-02T03:04:05.000Z\nDana\t22222222-2222-2222-2222-222222222222\ttrue\t\n',
    );
  });

  it('colours the header and painted cells only when given a colour chalk', () => {
    const text = renderTable(users, columns, { isTTY: true, chalk: color });
    expect(text).toContain('\u001b[1mNAME');
    expect(text).toContain('\u001b[1mSam Sales');
  });

  it.each([
    ['a line break', 'two\nlines', 'two lines'],
    ['a CRLF', 'two\r\nlines', 'two lines'],
    ['a tab', 'a\tb', 'a b'],
    ['an escape sequence', 'x\u001b[2Jy', 'x\\u001b[2Jy'],
    ['a C1 CSI', 'x\u009b2Jy', 'x\\u009b2Jy'],
    ['DEL', 'x\u007fy', 'x\\u007fy'],
  ])('keeps each row on one line and the terminal safe: %s', (_, fullname, shown) => {
    const row = [{ ...users[1]!, fullname }];
    for (const isTTY of [true, false]) {
      const text = renderTable(row, columns.slice(0, 1), { isTTY, chalk: noColor });
      expect(text).toContain(shown);
      expect(text.trimEnd().split('\n')).toHaveLength(isTTY ? 2 : 1);
    }
  });

  it('prints nothing for no rows on a terminal (the command says so on stderr)', () => {
    expect(renderTable([], columns, { isTTY: true, chalk: noColor })).toBe('');
  });
});

describe('renderRecordTable', () => {
  it('prints aligned label/value lines on a terminal and label<TAB>value off it', () => {
    const user = users[0]!;
    expect(renderRecordTable(user, columns, { isTTY: true, chalk: noColor })).toBe(
      'name      Sam Sales\nid        11111111-1111-1111-1111-111111111111\ndisabled  false\ncreated   2024-01-02T03:04:05.000Z\n',
    );
    expect(renderRecordTable(users[1]!, columns, { isTTY: false, chalk: noColor })).toBe(
      'name\tDana\nid\t22222222-2222-2222-2222-222222222222\ndisabled\ttrue\ncreated\t\n',
    );
  });
});

describe('CSV (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' padded', '" padded"'],
    ['', ''],
  ])('quotes %j as %j', (text, field) => {
    expect(csvField(text)).toBe(field);
  });

  it('writes a header row and CRLF line ends; nulls are empty fields', () => {
    expect(renderCsv(users, columns)).toBe(
      'name,id,disabled,created\r\nSam Sales,11111111-1111-1111-1111-111111111111,false,2024-01-02T03:04:05.000Z\r\nDana,22222222-2222-2222-2222-222222222222,true,\r\n',
    );
  });

  it('writes the header alone for no rows', () => {
    expect(renderCsv([], columns)).toBe('name,id,disabled,created\r\n');
  });
});

describe('renderList and renderRecord', () => {
  const target = (format: OutputFormat, isTTY = false) => ({ format, isTTY, chalk: color });

  it('json: the rows themselves, pretty-printed with 2 spaces, not the columns', () => {
    const text = renderList(users, columns, target('json'));
    expect(text).toBe(`${JSON.stringify(users, null, 2)}\n`);
    expect(JSON.parse(text)[1]).toEqual({ fullname: 'Dana', systemuserid: '22222222-2222-2222-2222-222222222222', isdisabled: true, createdon: null });
  });

  it('ndjson: one compact object per line', () => {
    const lines = renderList(users, columns, target('ndjson')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!).fullname).toBe('Sam Sales');
    expect(lines[0]).not.toContain('\n  ');
  });

  it.each([
    ['json', '[]\n'],
    ['ndjson', ''],
    ['csv', 'name,id,disabled,created\r\n'],
    ['table', ''],
  ] as const)('an empty list as %s is %j', (format, text) => {
    expect(renderList([], columns, target(format))).toBe(text);
  });

  it.each([
    ['json', `${JSON.stringify(users[1], null, 2)}\n`],
    ['ndjson', `${JSON.stringify(users[1])}\n`],
    ['csv', 'name,id,disabled,created\r\nDana,22222222-2222-2222-2222-222222222222,true,\r\n'],
    ['table', 'name\tDana\nid\t22222222-2222-2222-2222-222222222222\ndisabled\ttrue\ncreated\t\n'],
  ] as const)('one record as %s', (format, text) => {
    expect(renderRecord(users[1]!, columns, target(format))).toBe(text);
  });
});
