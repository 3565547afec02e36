import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';
import { accountsStartingWith, reportLines, useWorkDir, writesSince } from './bulk-helpers.js';

const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const workDir = useWorkDir();

describe('bulk create input: CSV', () => {
  it('a BOM, CRLF, quoted commas, quotes and line breaks; values typed from the columns; positions are the lines records start on', async () => {
    const dir = workDir();
    const csv =
      '\uFEFFname,numberofemployees,industrycode,description,creditonhold,revenue\r\n' +
      'Csv One,12,1,"plain",true,1500.5\r\n' +
      '"Csv Two, Inc.",,,"two\r\nlines, and ""quotes""",no,\r\n' +
      '\r\n' +
      'Csv Three,0,2,,1,-3\r\n';
    const file = dir.file('rows.csv', csv);
    const report = dir.path('report.ndjson');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--report', report, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const byName = new Map(accountsStartingWith(emulator(), 'Csv ').map((row) => [row.name, row]));
    expect(byName.get('Csv One')).toMatchObject({ numberofemployees: 12, industrycode: 1, description: 'plain', creditonhold: true, revenue: 1500.5 });
    expect(byName.get('Csv Two, Inc.')).toMatchObject({ description: 'two\r\nlines, and "quotes"', creditonhold: false });
    expect(byName.get('Csv Two, Inc.')?.numberofemployees ?? null).toBeNull();
    expect(byName.get('Csv Three')).toMatchObject({ numberofemployees: 0, industrycode: 2, creditonhold: true, revenue: -3 });
    const lines = reportLines(report);
    expect(lines[0]).toMatchObject({ positions: 'line' });
    expect(lines.filter((line) => line.status === 'created').map((line) => line.position).sort()).toEqual([2, 3, 6]);
  });

  it('a value that does not fit its column names the line, the column and the value; a misspelt header column is one problem; nothing is sent', async () => {
    const dir = workDir();
    const file = dir.file('bad.csv', 'name,numberofemployees,industrycode,creditonhold,nmae\nBad csv 1,lots,1,true,x\nBad csv 2,3,999,true,y\nBad csv 3,4,1,maybe,z\n');
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file]);
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('has 4 problems; nothing was sent.');
    expect(run.stderr).toContain('line 1: unknown column "nmae" in account.');
    expect(run.stderr).toContain(`line 4: 'creditonhold' takes true or false (or 1/0, yes/no), not "maybe".`);
    expect(run.stderr).toContain(`line 2: 'numberofemployees' takes a whole number, not "lots".`);
    expect(run.stderr).toMatch(/line 3: 'industrycode' takes one of the choice values [\d, ]+, not 999\./);
    expect(writesSince(emulator(), before)).toEqual([]);
    expect(accountsStartingWith(emulator(), 'Bad csv')).toEqual([]);
  });

  it('--as-column names the users column (never sent); a lookup column as <lookup>@odata.bind', async () => {
    const contact = await api(emulator(), 'POST', 'contacts', { as: DEMO.sam, body: { lastname: 'Csv contact' } });
    const contactId = /\(([0-9a-f-]{36})\)$/.exec(contact.headers.get('odata-entityid') ?? '')?.[1];
    const file = workDir().file('users.csv', `name,who,primarycontactid@odata.bind\nCsv as 1,${DEMO.sam},/contacts(${contactId})\nCsv as 2,,\n`);
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--as-column', 'who', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const byName = new Map(accountsStartingWith(emulator(), 'Csv as ').map((row) => [row.name, row]));
    expect(byName.get('Csv as 1')).toMatchObject({ createdby: { id: user(emulator(), DEMO.sam).systemuserid }, primarycontactid: { id: contactId } });
    expect(byName.get('Csv as 1')).not.toHaveProperty('who');
    expect(byName.get('Csv as 2')?.createdby).not.toMatchObject({ id: user(emulator(), DEMO.sam).systemuserid });
  });

  it('an unclosed quote: the file cannot be read past it, exit 2, nothing sent', async () => {
    const dir = workDir();
    const file = dir.file('broken.csv', 'name\n"Broken csv 1\nBroken csv 2\n');
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file]);
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/line \d+: .*quote.*cannot be read past it/i);
    expect(writesSince(emulator(), before)).toEqual([]);
  });
});

describe('bulk create input: JSON, stdin, flags', () => {
  it('a JSON array names rows by element; --data takes an array too', async () => {
    const dir = workDir();
    const file = dir.file('rows.json', JSON.stringify([{ name: 'Json row 1' }, { name: 'Json row 2', numberofemployees: 'x' }]));
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(`row 2: 'numberofemployees' takes a whole number, not the string "x".`);
    const inline = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '[{"name":"Json inline 1"},{"name":"Json inline 2"}]', '-o', 'json']);
    expect(inline.code, inline.stderr).toBe(0);
    expect(accountsStartingWith(emulator(), 'Json inline ')).toHaveLength(2);
  });

  it('NDJSON from stdin (--format ndjson): created as it streams', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-', '--format', 'ndjson', '-o', 'json'], { stdin: '{"name":"Stdin 1"}\n\n{"name":"Stdin 2"}\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ rows: 2, created: 2 });
    expect(accountsStartingWith(emulator(), 'Stdin ')).toHaveLength(2);
  });

  it('stdin is checked as it streams: the first bad row ends the run, exit 2, the rows before it reported', async () => {
    const dir = workDir();
    const report = dir.path('report.ndjson');
    const stdin = '{"name":"Stream ok 1"}\n{"name":"Stream ok 2"}\n{"nmae":"Stream bad"}\n{"name":"Stream never"}\n';
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', '-', '--format', 'ndjson', '--batch-size', '1', '--report', report], { stdin });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('line 3: unknown column "nmae" in account.');
    expect(accountsStartingWith(emulator(), 'Stream never')).toEqual([]);
    const created = reportLines(report).filter((line) => line.status === 'created');
    expect(created.map((line) => line.position).sort()).toEqual([1, 2]);
    expect(accountsStartingWith(emulator(), 'Stream ok')).toHaveLength(2);
  });

  it.each([
    [['--batch-size', '0'], /--batch-size takes a whole number from 1 to 1000, not "0"\./],
    [['--concurrency', '53'], /--concurrency takes a whole number from 1 to 52, not "53"\./],
    [['--shard', '3/2'], /--shard takes K\/N with 1 ≤ K ≤ N/],
    [['--format', 'xml'], /--format takes json, ndjson or csv/],
  ])('%s is refused before anything is sent', async (flags, message) => {
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '[{"name":"Flag"}]', ...flags]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(message);
    expect(emulator().requestLog.entries.length).toBe(before);
  });

  it('a bulk flag with one JSON object, and --return with many rows, are usage errors', async () => {
    const one = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '{"name":"One"}', '--report', 'r.ndjson']);
    expect(one.code).toBe(ExitCode.Usage);
    expect(one.stderr).toContain('--report is for many rows; this input is one JSON object.');
    const many = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '[{"name":"Two"}]', '--return']);
    expect(many.code).toBe(ExitCode.Usage);
    expect(many.stderr).toContain('--return prints one created row');
  });

  it('an --as naming nobody ends the run before anything is written, exit 6; an unknown @as is the problem of its first line, exit 2', async () => {
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '[{"name":"Nobody as"}]', '--as', 'nobody@contoso.com']);
    expect(run.code, run.stderr).toBe(ExitCode.NotFound);
    expect(run.stderr).toMatch(/No Dataverse user has the email address or domain name ["']nobody@contoso\.com["']\./);
    const rows = JSON.stringify([{ name: 'Unknown as 1' }, { name: 'Unknown as 2', '@as': 'nobody@contoso.com' }, { name: 'Unknown as 3', '@as': 'nobody@contoso.com' }]);
    const file = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', rows]);
    expect(file.code, file.stderr).toBe(ExitCode.Usage);
    expect(file.stderr).toMatch(/--data has 1 problem; nothing was sent\.\n {2}row 2: the user "nobody@contoso\.com": No Dataverse user has the email address or domain name ["']nobody@contoso\.com["']\./);
    expect(emulator().requestLog.entries.slice(before).filter((entry) => entry.method !== 'GET')).toEqual([]);
  });

  it('--report refuses a file that exists (its run would be mixed up)', async () => {
    const dir = workDir();
    const report = dir.file('taken.ndjson', 'x\n');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '[{"name":"Taken report"}]', '--report', report]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(`The report ${report} exists already.`);
    expect(accountsStartingWith(emulator(), 'Taken report')).toEqual([]);
  });
});
