import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;
const names = (body: { value: Array<{ name: string }> }) => body.value.map((row) => row.name);
const q = (filter: string) => encodeURIComponent(filter);

const ALL_ACCOUNTS = [
  'Adventure Works',
  'Alpine Ski House',
  'Blue Yonder Airlines',
  'City Power & Light',
  'Coho Winery',
  'Contoso Pharmaceuticals',
  'Fabrikam, Inc.',
  'Fourth Coffee',
  'Litware, Inc.',
  "O'Brien Logistics",
];

describe('GET a collection', () => {
  it('returns every row with @odata.etag under the collection context', async () => {
    const response = await api(emulator(), 'GET', 'accounts');
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#accounts`);
    expect(names(response.json).sort()).toEqual(ALL_ACCOUNTS);
    for (const row of response.json.value) expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(response.json).not.toHaveProperty('@odata.nextLink');
  });

  it('$select names the context and always adds the primary key', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name,accountnumber');
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#accounts(name,accountnumber)`);
    for (const row of response.json.value) expect(Object.keys(row)).toEqual(['@odata.etag', 'name', 'accountnumber', 'accountid']);
    const withKey = await api(emulator(), 'GET', 'accounts?$select=name,accountid');
    expect(withKey.json['@odata.context']).toBe(`${root()}$metadata#accounts(name,accountid)`);
    expect(Object.keys(withKey.json.value[0])).toEqual(['@odata.etag', 'name', 'accountid']);
  });

  it('$filter selects rows: comparisons, logic, string functions, lookups, In', async () => {
    const cases: Array<[string, string[]]> = [
      ["address1_city eq 'redmond'", ['City Power & Light', 'Contoso Pharmaceuticals']],
      ["address1_city eq 'Redmond' and not startswith(name,'City')", ['Contoso Pharmaceuticals']],
      ["(contains(name,'inc') or revenue gt 5000000) and accountnumber ne 'ACC-005'", ['Adventure Works', 'Litware, Inc.']],
      ["name eq 'O''Brien Logistics'", ["O'Brien Logistics"]],
      [`_ownerid_value eq ${user(emulator(), DEMO.sam).systemuserid}`, ['Adventure Works', 'Litware, Inc.']],
      ["Microsoft.Dynamics.CRM.In(PropertyName='accountnumber',PropertyValues=['ACC-001','ACC-009'])", ['Coho Winery', 'Fourth Coffee']],
      ['revenue ne null', ['Adventure Works', 'Fourth Coffee']],
    ];
    for (const [filter, expected] of cases) {
      const response = await api(emulator(), 'GET', `accounts?$select=name&$filter=${q(filter)}`);
      expect(response.status, filter).toBe(200);
      expect(names(response.json).sort(), filter).toEqual(expected);
    }
  });

  it('parameter aliases stand for literals in $filter', async () => {
    const response = await api(
      emulator(),
      'GET',
      `accounts?$select=name&$filter=${q('Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2) and address1_city ne @city')}&@p1=${q("'address1_city'")}&@p2=${q('["Redmond","Napa"]')}&@city=${q("'Napa'")}`,
    );
    expect(response.status).toBe(200);
    expect(names(response.json).sort()).toEqual(['City Power & Light', 'Contoso Pharmaceuticals']);
  });

  it('a malformed $filter is a 400 with the service\'s message and position', async () => {
    const response = await api(emulator(), 'GET', `contacts?$select=fullname&$filter=${q("lastname eq 'O'Bryan'")}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: { code: '0x0', message: "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''." },
    });
    const unknown = await api(emulator(), 'GET', `accounts?$filter=${q("Name eq 'x'")}`);
    expect(unknown.json.error.message).toBe("Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.");
    const types = await api(emulator(), 'GET', `accounts?$filter=${q("accountid eq 'not a guid'")}`);
    expect(types.status).toBe(400);
    expect(types.json.error.message).toBe(
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
    );
  });

  it('$orderby sorts by several keys, case-insensitively, lookups by the related name, ties by primary key', async () => {
    const byCity = await api(emulator(), 'GET', `accounts?$select=name,address1_city&$orderby=${q('address1_city desc,name asc')}`);
    expect(byCity.json.value.slice(0, 3).map((row: { address1_city: string }) => row.address1_city)).toEqual(['Seattle', 'Santa Cruz', 'Redmond']);
    expect(names(byCity.json).slice(2, 4)).toEqual(['City Power & Light', 'Contoso Pharmaceuticals']);
    const byName = await api(emulator(), 'GET', `accounts?$select=name&$orderby=name`);
    expect(names(byName.json)).toEqual(ALL_ACCOUNTS);
    const byOwner = await api(emulator(), 'GET', `accounts?$select=name&$orderby=${q('_ownerid_value asc,name asc')}`);
    // Owners by full name: Alex Admin, Devon Delegate, dvas demo app, Owen OnPrem, Riley Reader, Sales Team, Sam Sales, Tess Team.
    expect(names(byOwner.json)).toEqual([
      'Contoso Pharmaceuticals',
      'Fourth Coffee',
      'City Power & Light',
      'Coho Winery',
      'Blue Yonder Airlines',
      "O'Brien Logistics",
      'Alpine Ski House',
      'Adventure Works',
      'Litware, Inc.',
      'Fabrikam, Inc.',
    ]);
    const bad = await api(emulator(), 'GET', `accounts?$orderby=${q('name up')}`);
    expect(bad.json.error.message).toBe("Syntax error at position 5 in 'name up'.");
  });

  it('$top limits the rows', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name&$orderby=name&$top=3');
    expect(names(response.json)).toEqual(ALL_ACCOUNTS.slice(0, 3));
    const bad = await api(emulator(), 'GET', 'accounts?$top=-1');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe("Invalid value '-1' for $top query option found. The $top query option requires a non-negative integer value.");
  });

  it('$count=true puts @odata.count before value', async () => {
    const response = await api(emulator(), 'GET', `accounts?$select=name&$count=true&$filter=${q("address1_city eq 'Redmond'")}`);
    expect(Object.keys(response.json)).toEqual(['@odata.context', '@odata.count', 'value']);
    expect(response.json['@odata.count']).toBe(2);
  });

  it('GET accounts/$count answers a text/plain number, filtered and scoped', async () => {
    const all = await api(emulator(), 'GET', 'accounts/$count');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/plain');
    expect(all.text).toBe('10');
    expect((await api(emulator(), 'GET', `accounts/$count?$filter=${q("address1_city eq 'Redmond'")}`)).text).toBe('2');
    // Four in his business unit, and Contoso Pharmaceuticals, which Alex shares with him.
    expect((await api(emulator(), 'GET', 'accounts/$count', { as: DEMO.sam })).text).toBe('5');
  });

  it.each([
    ['$skip=1', '0x80060888', 'Skip Clause is not supported in CRM'],
    ['$search=coffee', '0x80060888', 'Search Clause is not supported in CRM'],
    ['$format=json', '0x80060888', 'Format Clause is not supported in CRM'],
    ['$Select=name', '0x0', "The query parameter '$Select' is not supported."],
    ['$count=yes', '0x0', "'yes' is not a valid count option."],
  ])('%s is refused with a 400', async (option, code, message) => {
    const response = await api(emulator(), 'GET', `accounts?${option}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: { code, message } });
  });
});

describe('security on collections', () => {
  it('silently leaves out rows outside the principal\'s depth', async () => {
    const sam = await api(emulator(), 'GET', 'accounts?$select=name', { as: DEMO.sam });
    expect(sam.status).toBe(200);
    // Salesperson reads accounts at Local depth: the Contoso Sales business unit (and Sam the account shared with him).
    expect(names(sam.json).sort()).toEqual(['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.']);
    const tess = await api(emulator(), 'GET', 'accounts?$select=name', { as: DEMO.tess });
    expect(names(tess.json).sort()).toEqual(['Adventure Works', 'Alpine Ski House', 'Fabrikam, Inc.', 'Litware, Inc.']);
    const riley = await api(emulator(), 'GET', 'accounts?$select=name', { as: DEMO.riley });
    expect(riley.json.value).toHaveLength(10);
  });

  it('no Read privilege at all is a 403 for a collection too', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { as: DEMO.nora });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain('is missing prvReadAccount privilege');
    expect((await api(emulator(), 'GET', 'tasks', { as: DEMO.riley })).status).toBe(403);
  });

  it('under impersonation the rows are those of the intersection', async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { MSCRMCallerID: sam.systemuserid } });
    // Sam's shares count under impersonation too.
    expect(names(response.json).sort()).toEqual(['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.']);
  });
});
