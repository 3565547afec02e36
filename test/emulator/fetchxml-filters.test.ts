import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';

/**
 * `GET <entityset>?fetchXml=…` over real HTTP (issue 10): columns, filters and their operators,
 * the service's errors, and the same security as OData queries, on the demo organisation.
 * Shapes follow Microsoft's "Use FetchXml to retrieve data" and "Page results using FetchXml".
 */
// The emulator's clock, moved by hand: the date operators read it, never the wall clock.
const clock = new TestClock(Date.parse('2026-03-15T12:00:00Z'));
const emulator = useEmulator({ clock });

function fetchXml(set: string, xml: string, options: Parameters<typeof api>[3] = {}): Promise<ApiResponse> {
  return api(emulator(), 'GET', `${set}?fetchXml=${encodeURIComponent(xml)}`, options);
}

/** The `name` of each account a filter keeps, sorted. */
async function accountNames(filter: string, options: Parameters<typeof api>[3] = {}): Promise<string[]> {
  const response = await fetchXml('accounts', `<fetch><entity name='account'><attribute name='name'/>${filter}</entity></fetch>`, options);
  expect(response.status, response.text).toBe(200);
  return response.json.value.map((row: { name: string }) => row.name).sort();
}

const ALL_ACCOUNTS = [
  'Adventure Works', 'Alpine Ski House', 'Blue Yonder Airlines', 'City Power & Light', 'Coho Winery',
  'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Fourth Coffee', 'Litware, Inc.', "O'Brien Logistics",
];

const asUser = (email: string) => ({ headers: { MSCRMCallerID: user(emulator(), email).systemuserid } });

describe('FetchXML columns', () => {
  it('attribute elements choose the columns; the primary key and @odata.etag always come; nulls are left out', async () => {
    const response = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='name'/><attribute name='revenue'/><attribute name='primarycontactid'/>
       <filter><condition attribute='accountnumber' operator='in'><value>ACC-001</value><value>ACC-002</value></condition></filter></entity></fetch>`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(response.json['@odata.context']).toBe(`${emulator().url}/api/data/v9.2/$metadata#accounts(name,revenue,_primarycontactid_value,accountid)`);
    const rows = response.json.value as Array<Record<string, unknown>>;
    const fourth = rows.find((row) => row.name === 'Fourth Coffee') as Record<string, unknown>;
    const contoso = rows.find((row) => row.name === 'Contoso Pharmaceuticals') as Record<string, unknown>;
    expect(Object.keys(fourth)).toEqual(['@odata.etag', 'name', 'revenue', 'accountid']);
    expect(fourth['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(fourth.revenue).toBe(1200000);
    // Contoso has no revenue: the property is absent, not null (use-fetchxml-web-api).
    expect(Object.keys(contoso)).toEqual(['@odata.etag', 'name', 'accountid']);
  });

  it('all-attributes returns every column that has a value, lookups as _x_value', async () => {
    const response = await fetchXml('accounts', `<fetch><entity name='account'><all-attributes/><filter><condition attribute='accountnumber' operator='eq' value='ACC-001'/></filter></entity></fetch>`);
    expect(response.json['@odata.context']).toBe(`${emulator().url}/api/data/v9.2/$metadata#accounts`);
    const [row] = response.json.value;
    expect(row).toMatchObject({ name: 'Fourth Coffee', accountnumber: 'ACC-001', address1_city: 'Seattle', industrycode: 33, revenue: 1200000 });
    expect(row._ownerid_value).toBe(user(emulator(), DEMO.admin).systemuserid);
    expect(Object.values(row)).not.toContain(null);
    expect(row).not.toHaveProperty('numberofemployees');
  });

  it('formatted values and lookup annotations come before their column, as OData queries give them', async () => {
    const response = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='revenue'/><attribute name='industrycode'/><attribute name='ownerid'/>
       <filter><condition attribute='accountnumber' operator='eq' value='ACC-001'/></filter></entity></fetch>`,
      { headers: { Prefer: 'odata.include-annotations="*"' } },
    );
    expect(response.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
    const [row] = response.json.value;
    expect(row['revenue@OData.Community.Display.V1.FormattedValue']).toBe('$1,200,000.00');
    expect(row['industrycode@OData.Community.Display.V1.FormattedValue']).toBe('Retail');
    expect(row['_ownerid_value@OData.Community.Display.V1.FormattedValue']).toBe('Alex Admin');
    expect(row['_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('systemuser');
    const keys = Object.keys(row);
    expect(keys.indexOf('revenue@OData.Community.Display.V1.FormattedValue')).toBe(keys.indexOf('revenue') - 1);
  });

  it("FetchXML Builder's legacy header attributes and SQL hints are accepted, changing nothing", async () => {
    const plain = await accountNames(`<filter><condition attribute='address1_city' operator='eq' value='Redmond'/></filter>`);
    const response = await fetchXml(
      'accounts',
      `<fetch version="1.0" output-format="xml-platform" mapping="logical" distinct="false" no-lock="true" options="OptimizeForUnknown">
        <entity name="account"><attribute name="name"/><filter type="and"><condition attribute="address1_city" operator="eq" value="Redmond" uiname="Redmond"/></filter></entity></fetch>`,
    );
    expect(response.status, response.text).toBe(200);
    expect(response.json.value.map((row: { name: string }) => row.name).sort()).toEqual(plain);
  });

  it('an entity set other than the one of the entity element is refused', async () => {
    const response = await fetchXml('contacts', `<fetch><entity name='account'><attribute name='name'/></entity></fetch>`);
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80040203');
  });
});

describe('FetchXML filters', () => {
  it.each([
    ['eq', `<condition attribute='address1_city' operator='eq' value='redmond'/>`, ['City Power & Light', 'Contoso Pharmaceuticals']],
    ['ne', `<condition attribute='industrycode' operator='ne' value='33'/>`, ['Litware, Inc.']],
    ['neq (legacy ne)', `<condition attribute='industrycode' operator='neq' value='7'/>`, ['Fourth Coffee']],
    ['like', `<condition attribute='name' operator='like' value='%inc.'/>`, ['Fabrikam, Inc.', 'Litware, Inc.']],
    ['like with _', `<condition attribute='accountnumber' operator='like' value='ACC-00_'/>`, ALL_ACCOUNTS.filter((name) => name !== "O'Brien Logistics")],
    ['not-like', `<condition attribute='name' operator='not-like' value='%o%'/>`, ['Fabrikam, Inc.', 'Litware, Inc.']],
    ['begins-with', `<condition attribute='name' operator='begins-with' value='co'/>`, ['Coho Winery', 'Contoso Pharmaceuticals']],
    ['in', `<condition attribute='address1_city' operator='in'><value>Dallas</value><value>Denver</value></condition>`, ['Alpine Ski House', 'Litware, Inc.']],
    ['not-in', `<condition attribute='customertypecode' operator='not-in'><value>3</value><value>5</value></condition>`, ['Litware, Inc.']],
    ['null', `<condition attribute='revenue' operator='null'/>`, ALL_ACCOUNTS.filter((name) => !['Adventure Works', 'Fourth Coffee'].includes(name))],
    ['not-null', `<condition attribute='numberofemployees' operator='not-null'/>`, ['Contoso Pharmaceuticals']],
    ['gt', `<condition attribute='revenue' operator='gt' value='1200000'/>`, ['Adventure Works']],
    ['ge', `<condition attribute='revenue' operator='ge' value='1200000'/>`, ['Adventure Works', 'Fourth Coffee']],
    ['lt', `<condition attribute='revenue' operator='lt' value='1200000'/>`, []],
    ['le', `<condition attribute='revenue' operator='le' value='1200000'/>`, ['Fourth Coffee']],
    ['between', `<condition attribute='accountnumber' operator='between'><value>ACC-002</value><value>ACC-004</value></condition>`, ['Adventure Works', 'Contoso Pharmaceuticals', 'Litware, Inc.']],
    ['eq on a yes/no column', `<condition attribute='creditonhold' operator='eq' value='1'/>`, ['Alpine Ski House']],
    ['eq on a lookup, id in braces', `<condition attribute='ownerid' operator='eq' value='{OWNER}'/>`, ['Contoso Pharmaceuticals', 'Fourth Coffee']],
  ])('%s', async (_operator, condition, expected) => {
    const text = condition.replace('OWNER', user(emulator(), DEMO.admin).systemuserid.toUpperCase());
    expect(await accountNames(`<filter>${text}</filter>`)).toEqual([...expected].sort());
  });

  it('nested filters combine with and/or; several filter elements all apply', async () => {
    const names = await accountNames(
      `<filter type='or'>
         <filter type='and'><condition attribute='address1_city' operator='eq' value='Redmond'/><condition attribute='numberofemployees' operator='not-null'/></filter>
         <condition attribute='name' operator='like' value='Fourth%'/>
       </filter>`,
    );
    expect(names).toEqual(['Contoso Pharmaceuticals', 'Fourth Coffee']);
    const both = await accountNames(`<filter><condition attribute='address1_city' operator='eq' value='Redmond'/></filter><filter><condition attribute='name' operator='like' value='City%'/></filter>`);
    expect(both).toEqual(['City Power & Light']);
  });

  it('eq-userid and eq-businessid answer for the effective user (the impersonated one)', async () => {
    const mine = await accountNames(`<filter><condition attribute='ownerid' operator='eq-userid'/></filter>`, asUser(DEMO.sam));
    expect(mine).toEqual(['Adventure Works', 'Litware, Inc.']);
    const unit = await accountNames(`<filter><condition attribute='owningbusinessunit' operator='eq-businessid'/></filter>`, asUser(DEMO.sam));
    // Sam's own business unit, Contoso Sales: Sam's, Tess's and the Sales Team's rows (all readable at Local depth).
    expect(unit).toEqual(['Adventure Works', 'Alpine Ski House', 'Fabrikam, Inc.', 'Litware, Inc.']);
  });

  it('date operators use the emulator clock: on, on-or-after, on-or-before, last-x-days, next-x-days', async () => {
    // The clock stands at 2026-03-15 12:00 UTC.
    const due = { 'ten days ago': '2026-03-05T09:00:00Z', 'three days ago': '2026-03-12T09:00:00Z', 'in two days': '2026-03-17T09:00:00Z', 'in twenty days': '2026-04-04T09:00:00Z' };
    for (const [label, scheduledend] of Object.entries(due)) {
      const created = await api(emulator(), 'POST', 'tasks', { body: { subject: `fetchxml dates ${label}`, scheduledend } });
      expect(created.status).toBe(204);
    }
    const tasks = async (condition: string) => {
      const response = await fetchXml('tasks', `<fetch><entity name='task'><attribute name='subject'/><filter><condition attribute='subject' operator='like' value='fetchxml dates%'/>${condition}</filter></entity></fetch>`);
      expect(response.status, response.text).toBe(200);
      return response.json.value.map((row: { subject: string }) => row.subject.replace('fetchxml dates ', '')).sort();
    };
    expect(await tasks(`<condition attribute='scheduledend' operator='on' value='2026-03-12'/>`)).toEqual(['three days ago']);
    expect(await tasks(`<condition attribute='scheduledend' operator='on-or-after' value='2026-03-12'/>`)).toEqual(['in twenty days', 'in two days', 'three days ago']);
    expect(await tasks(`<condition attribute='scheduledend' operator='on-or-before' value='2026-03-12'/>`)).toEqual(['ten days ago', 'three days ago']);
    expect(await tasks(`<condition attribute='scheduledend' operator='last-x-days' value='7'/>`)).toEqual(['three days ago']);
    expect(await tasks(`<condition attribute='scheduledend' operator='next-x-days' value='7'/>`)).toEqual(['in two days']);
    // Ten days on, the same relative conditions select other rows.
    await clock.advance(10 * 86_400_000);
    expect(await tasks(`<condition attribute='scheduledend' operator='last-x-days' value='7'/>`)).toEqual([]);
    expect(await tasks(`<condition attribute='scheduledend' operator='next-x-days' value='10'/>`)).toEqual(['in twenty days']);
  });
});

describe('FetchXML security: the same as OData queries', () => {
  it('a caller reads only the rows its depth, business unit, teams and shares reach', async () => {
    // Riley: Global read. Sam: Local (Contoso Sales) plus the Contoso Pharmaceuticals share.
    expect(await accountNames('', { as: DEMO.riley })).toEqual(ALL_ACCOUNTS);
    const sam = await accountNames('', asUser(DEMO.sam));
    expect(sam).toEqual(['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.']);
    // The same through the OData query: FetchXML reads no more and no less.
    const odata = await api(emulator(), 'GET', 'accounts?$select=name', asUser(DEMO.sam));
    expect(odata.json.value.map((row: { name: string }) => row.name).sort()).toEqual(sam);
  });

  it('a role held only through a team counts: Tess (Sales Team\'s Salesperson role) reads Contoso Sales\' rows', async () => {
    const tess = await accountNames('', asUser(DEMO.tess));
    expect(tess).toEqual(['Adventure Works', 'Alpine Ski House', 'Fabrikam, Inc.', 'Litware, Inc.']);
    const odata = await api(emulator(), 'GET', 'accounts?$select=name', asUser(DEMO.tess));
    expect(odata.json.value.map((row: { name: string }) => row.name).sort()).toEqual(tess);
  });

  it('impersonation intersects the caller and the user: the app impersonating Sam reads what Sam reads', async () => {
    const direct = await accountNames('', { as: DEMO.sam });
    expect(await accountNames('', asUser(DEMO.sam))).toEqual(direct);
  });

  it('a user without Read on the table gets the service\'s 403', async () => {
    const response = await fetchXml('accounts', `<fetch><entity name='account'><attribute name='name'/></entity></fetch>`, asUser(DEMO.nora));
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
  });
});

describe('FetchXML that is malformed or not emulated', () => {
  it.each([
    ['not well-formed', `<fetch><entity name='account'><attribute name='name'></entity></fetch>`],
    ['not FetchXML', `<query><entity name='account'/></query>`],
    ['an unknown element', `<fetch><entity name='account'><column name='name'/></entity></fetch>`],
    ['an unknown attribute', `<fetch><entity name='account'><attribute name='name' colour='red'/></entity></fetch>`],
    ['two entities', `<fetch><entity name='account'/><entity name='account'/></fetch>`],
    ['a document type declaration (no entity is ever expanded)', `<!DOCTYPE fetch [<!ENTITY x "name">]><fetch><entity name='account'><attribute name='&x;'/></entity></fetch>`],
  ])('%s: 400 Invalid XML (0x80040201)', async (_name, xml) => {
    const response = await fetchXml('accounts', xml);
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80040201');
    expect(response.json.error.message.startsWith('Invalid XML.')).toBe(true);
  });

  it('an unknown column is the service\'s QueryBuilderNoAttribute', async () => {
    const response = await fetchXml('accounts', `<fetch><entity name='account'><attribute name='colour'/></entity></fetch>`);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x80041103',
      message: "'account' entity doesn't contain attribute with Name = 'colour' and NameMapping = 'Logical'.",
    });
  });

  it('an unknown operator: "Unknown Condition Operator"; a value of the wrong type: a conversion error', async () => {
    const unknown = await fetchXml('accounts', `<fetch><entity name='account'><filter><condition attribute='name' operator='contains' value='x'/></filter></entity></fetch>`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe('Unknown Condition Operator: contains');
    const wrong = await fetchXml('accounts', `<fetch><entity name='account'><filter><condition attribute='revenue' operator='gt' value='lots'/></filter></entity></fetch>`);
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toContain("convert input value 'lots' to attribute 'account.revenue'");
  });

  it.each([
    ['a documented operator', `<fetch><entity name='account'><filter><condition attribute='createdon' operator='this-month'/></filter></entity></fetch>`, "condition operator 'this-month'"],
    ['a filter link type', `<fetch><entity name='account'><link-entity name='contact' from='parentcustomerid' to='accountid' link-type='any'/></entity></fetch>`, "link-type 'any'"],
    ['date grouping', `<fetch aggregate='true'><entity name='account'><attribute name='createdon' alias='y' groupby='true' dategrouping='year'/></entity></fetch>`, "'dategrouping'"],
    ['valueof', `<fetch><entity name='account'><filter><condition attribute='name' operator='eq' valueof='accountnumber'/></filter></entity></fetch>`, "'valueof'"],
  ])('%s: 501 not emulated, naming it', async (_name, xml, what) => {
    const response = await fetchXml('accounts', xml);
    expect(response.status).toBe(501);
    expect(response.json.error.message).toContain(`Not emulated: FetchXML`);
    expect(response.json.error.message).toContain(what);
  });

  it('fetchXml on anything but a collection, and sql anywhere, stay refused', async () => {
    const id = user(emulator(), DEMO.admin).systemuserid;
    const xml = encodeURIComponent(`<fetch><entity name='systemuser'><attribute name='fullname'/></entity></fetch>`);
    expect((await api(emulator(), 'GET', `systemusers(${id})?fetchXml=${xml}`)).status).toBe(501);
    expect((await api(emulator(), 'GET', `accounts?sql=${encodeURIComponent('SELECT name FROM account')}`)).status).toBe(501);
  });
});
