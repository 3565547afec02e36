import { describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { api, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';

/**
 * FetchXML aggregates over real HTTP (issue 10), on the ten accounts of Microsoft's "Aggregate data
 * using FetchXml" example, so that the answers can be checked against the page's own tables.
 */
const APP = 'app@agg.test';
const BASIC = 'basic@agg.test';

const EXAMPLE: Array<[string, number | null, string | null]> = [
  ['Example Account', null, null],
  ['Contoso Pharmaceuticals (sample)', 1500, 'Redmond'],
  ['Fabrikam, Inc. (sample)', 2700, 'Lynnwood'],
  ['Blue Yonder Airlines (sample)', 2900, 'Los Angeles'],
  ['City Power & Light (sample)', 2900, 'Redmond'],
  ['Coho Winery (sample)', 3900, 'Phoenix'],
  ['Adventure Works (sample)', 4300, 'Santa Cruz'],
  ['Alpine Ski House (sample)', 4800, 'Missoula'],
  ['Litware, Inc. (sample)', 6000, 'Dallas'],
  ['A. Datum Corporation (sample)', 6200, 'Redmond'],
];

const SEED: SeedDocument = {
  organization: { name: 'Aggregate Co' },
  businessUnits: [{ name: 'Aggregate Co' }],
  roles: [
    { name: 'Admin', privileges: { prvReadAccount: 'Global', prvReadUser: 'Global', prvActOnBehalfOfAnotherUser: 'Global' } },
    // Bea may impersonate too: her Basic depth then narrows what the app's Global reading would give.
    { name: 'Basic Reader', privileges: { prvReadAccount: 'Basic', prvReadUser: 'Global', prvActOnBehalfOfAnotherUser: 'Global' } },
  ],
  users: [
    { fullname: 'Aggregate App', email: APP, roles: ['Admin'], application: { clientId: '21111111-2222-4333-8444-555555555555', clientSecret: 's' } },
    { fullname: 'Basic Bea', email: BASIC, roles: ['Basic Reader'] },
  ],
  rows: {
    account: EXAMPLE.map(([name, employees, city]) => ({
      name,
      ...(employees === null ? {} : { numberofemployees: employees }),
      ...(city === null ? {} : { address1_city: city }),
      // Bea owns the three Redmond accounts; two accounts have a revenue (money) to sum.
      $owner: city === 'Redmond' ? BASIC : APP,
      ...(name.startsWith('Litware') ? { revenue: 1000000 } : name.startsWith('Coho') ? { revenue: 2000000.5 } : {}),
    })),
  },
};

const emulator = useEmulator({ seed: SEED });

function fetchXml(xml: string, options: Parameters<typeof api>[3] = {}): Promise<ApiResponse> {
  return api(emulator(), 'GET', `accounts?fetchXml=${encodeURIComponent(xml)}`, { as: APP, ...options });
}

const EMPLOYEE_AGGREGATES = `<fetch aggregate='true'><entity name='account'>
  <attribute name='numberofemployees' alias='Average' aggregate='avg'/>
  <attribute name='numberofemployees' alias='Count' aggregate='count'/>
  <attribute name='numberofemployees' alias='ColumnCount' aggregate='countcolumn'/>
  <attribute name='numberofemployees' alias='Maximum' aggregate='max'/>
  <attribute name='numberofemployees' alias='Minimum' aggregate='min'/>
  <attribute name='numberofemployees' alias='Sum' aggregate='sum'/>
</entity></fetch>`;

describe('FetchXML aggregates', () => {
  it('avg, count, countcolumn, max, min and sum: one row, one property per alias (the docs\' example)', async () => {
    const response = await fetchXml(EMPLOYEE_AGGREGATES);
    expect(response.status, response.text).toBe(200);
    expect(response.json['@odata.context']).toBe(`${emulator().url}/api/data/v9.2/$metadata#accounts`);
    // The docs' result: 3,911 | 10 | 9 | 6,200 | 1,500 | 35,200.
    expect(response.json.value).toEqual([{ Average: 3911, Count: 10, ColumnCount: 9, Maximum: 6200, Minimum: 1500, Sum: 35200 }]);
  });

  it('countcolumn with distinct counts each value once (8, not 9)', async () => {
    const response = await fetchXml(`<fetch aggregate='true'><entity name='account'><attribute name='numberofemployees' alias='ColumnCount' aggregate='countcolumn' distinct='true'/></entity></fetch>`);
    expect(response.json.value).toEqual([{ ColumnCount: 8 }]);
  });

  it('groupby: one row per city, ordered by the alias, the NULL group without its group property (the docs\' table)', async () => {
    const response = await fetchXml(`<fetch aggregate='true'><entity name='account'>
      <attribute name='numberofemployees' alias='Total' aggregate='sum'/>
      <attribute name='address1_city' alias='Count' aggregate='count'/>
      <attribute name='address1_city' alias='City' groupby='true'/>
      <order alias='City'/></entity></fetch>`);
    expect(response.json.value).toEqual([
      { Total: 0, Count: 1 },
      { Total: 6000, Count: 1, City: 'Dallas' },
      { Total: 2900, Count: 1, City: 'Los Angeles' },
      { Total: 2700, Count: 1, City: 'Lynnwood' },
      { Total: 4800, Count: 1, City: 'Missoula' },
      { Total: 3900, Count: 1, City: 'Phoenix' },
      { Total: 10600, Count: 3, City: 'Redmond' },
      { Total: 4300, Count: 1, City: 'Santa Cruz' },
    ]);
  });

  it('an order on an aggregate alias sorts the groups by its result, descending when asked', async () => {
    const response = await fetchXml(`<fetch aggregate='true'><entity name='account'>
      <attribute name='address1_city' alias='City' groupby='true'/><attribute name='numberofemployees' alias='Total' aggregate='sum'/>
      <order alias='Total' descending='true'/></entity></fetch>`);
    expect(response.json.value.slice(0, 2)).toEqual([{ City: 'Redmond', Total: 10600 }, { City: 'Dallas', Total: 6000 }]);
  });

  it('formatted values of aggregates and of group-by lookups, as the Web API writes them', async () => {
    const response = await fetchXml(
      `<fetch aggregate='true'><entity name='account'>
        <attribute name='revenue' alias='Revenue' aggregate='sum'/><attribute name='accountid' alias='Accounts' aggregate='count'/>
        <attribute name='ownerid' alias='Owner' groupby='true'/><order alias='Owner'/></entity></fetch>`,
      { headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } },
    );
    const app = user(emulator(), APP).systemuserid;
    const bea = user(emulator(), BASIC).systemuserid;
    expect(response.json.value).toEqual([
      {
        'Revenue@OData.Community.Display.V1.FormattedValue': '$3,000,000.50', Revenue: 3000000.5,
        'Accounts@OData.Community.Display.V1.FormattedValue': '7', Accounts: 7,
        'Owner@OData.Community.Display.V1.FormattedValue': 'Aggregate App', Owner: app,
      },
      {
        'Revenue@OData.Community.Display.V1.FormattedValue': '$0.00', Revenue: 0,
        'Accounts@OData.Community.Display.V1.FormattedValue': '3', Accounts: 3,
        'Owner@OData.Community.Display.V1.FormattedValue': 'Basic Bea', Owner: bea,
      },
    ]);
  });

  it('a link-entity column can be grouped, under its alias alone', async () => {
    const response = await fetchXml(`<fetch aggregate='true'><entity name='account'>
      <attribute name='numberofemployees' alias='Total' aggregate='sum'/>
      <link-entity name='systemuser' from='systemuserid' to='owninguser' alias='o'><attribute name='fullname' alias='OwnerName' groupby='true'/></link-entity>
      <order alias='OwnerName'/></entity></fetch>`);
    expect(response.json.value).toEqual([{ Total: 24600, OwnerName: 'Aggregate App' }, { Total: 10600, OwnerName: 'Basic Bea' }]);
  });

  it('aggregates count only the rows the user may read (impersonated Bea: her three accounts)', async () => {
    const response = await fetchXml(EMPLOYEE_AGGREGATES, { headers: { MSCRMCallerID: user(emulator(), BASIC).systemuserid } });
    expect(response.json.value).toEqual([{ Average: 3533, Count: 3, ColumnCount: 3, Maximum: 6200, Minimum: 1500, Sum: 10600 }]);
  });

  it('impersonation intersects caller and user: Bea acting as the app counts what an OData query counts then', async () => {
    const asApp = { as: BASIC, headers: { MSCRMCallerID: user(emulator(), APP).systemuserid } };
    const response = await fetchXml(`<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`, asApp);
    const odata = await api(emulator(), 'GET', 'accounts?$select=name&$count=true', asApp);
    expect(odata.status).toBe(200);
    expect(response.json.value).toEqual([{ n: odata.json['@odata.count'] }]);
    // Narrower than the app's own reading of all ten.
    expect(odata.json['@odata.count']).toBeLessThan(10);
  });

  it('more rows than aggregatelimit: AggregateQueryRecordLimit (8004E023)', async () => {
    const response = await fetchXml(`<fetch aggregate='true' aggregatelimit='9'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({ code: '0x8004e023', message: 'AggregateQueryRecordLimit exceeded. Cannot perform this operation.' });
    const within = await fetchXml(`<fetch aggregate='true' aggregatelimit='10'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`);
    expect(within.json.value).toEqual([{ n: 10 }]);
  });

  it.each([
    ['an attribute without alias', `<attribute name='numberofemployees' aggregate='sum'/>`],
    ['an attribute with neither aggregate nor groupby', `<attribute name='numberofemployees' alias='x'/>`],
    ['all-attributes', `<all-attributes/>`],
    ['sum of a text column', `<attribute name='name' alias='x' aggregate='sum'/>`],
    ['an order by attribute', `<attribute name='numberofemployees' alias='x' aggregate='sum'/><order attribute='name'/>`],
  ])('%s in an aggregate query is a 400', async (_case, body) => {
    const response = await fetchXml(`<fetch aggregate='true'><entity name='account'>${body}</entity></fetch>`);
    expect(response.status).toBe(400);
  });

  it("an aggregate attribute without aggregate='true' is a 400; an unknown aggregate is Invalid XML", async () => {
    expect((await fetchXml(`<fetch><entity name='account'><attribute name='numberofemployees' alias='x' aggregate='sum'/></entity></fetch>`)).status).toBe(400);
    const unknown = await fetchXml(`<fetch aggregate='true'><entity name='account'><attribute name='numberofemployees' alias='x' aggregate='median'/></entity></fetch>`);
    expect(unknown.json.error.code).toBe('0x80040201');
  });
});

describe('the 50,000-row limit of aggregate queries', () => {
  const big = useEmulator({
    seed: { ...SEED, rows: { account: Array.from({ length: 50_001 }, (_, i) => ({ name: `row ${i}`, $owner: APP })) } },
  });

  it('is the documented AggregateQueryRecordLimit; aggregatelimit cannot raise it', async () => {
    const xml = `<fetch aggregate='true' aggregatelimit='60000'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`;
    const response = await api(big(), 'GET', `accounts?fetchXml=${encodeURIComponent(xml)}`, { as: APP });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x8004e023');
  });
});
