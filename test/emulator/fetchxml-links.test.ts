import { beforeAll, describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';

/**
 * FetchXML `order`, `link-entity` (inner, outer, aliases, nesting) and `distinct` over real HTTP
 * (issue 10), on the demo organisation: the shapes of Microsoft's join-tables and order-rows pages
 * (`alias.column` properties) and the same row security on linked tables as on the entity.
 */
const emulator = useEmulator();

type Row = Record<string, unknown>;

async function fetchXml(set: string, xml: string, options: Parameters<typeof api>[3] = {}): Promise<ApiResponse> {
  return api(emulator(), 'GET', `${set}?fetchXml=${encodeURIComponent(xml)}`, options);
}

async function rows(set: string, xml: string, options: Parameters<typeof api>[3] = {}): Promise<Row[]> {
  const response = await fetchXml(set, xml, options);
  expect(response.status, response.text).toBe(200);
  return response.json.value;
}

const asUser = (email: string) => ({ headers: { MSCRMCallerID: user(emulator(), email).systemuserid } });

beforeAll(async () => {
  // Contacts whose preferred method's label order (Fax, Mail, Phone) is not its value order (3, 4, 5),
  // and a second contact at Litware that the admin owns (outside Sam's business unit).
  for (const [lastname, method] of [['Order Phone', 3], ['Order Fax', 4], ['Order Mail', 5]] as const) {
    const created = await api(emulator(), 'POST', 'contacts', { body: { firstname: 'Sort', lastname, preferredcontactmethodcode: method } });
    expect(created.status).toBe(204);
  }
  const litware = [...emulator().core.store.rows('account').values()].find((row) => row.name === 'Litware, Inc.');
  const created = await api(emulator(), 'POST', 'contacts', {
    as: DEMO.admin,
    body: { firstname: 'Lena', lastname: 'Admin-Owned', 'parentcustomerid_account@odata.bind': `/accounts(${String(litware?.accountid)})` },
  });
  expect(created.status, created.text).toBe(204);
});

describe('FetchXML order', () => {
  it('orders by several columns, ascending by default, descending when asked', async () => {
    const value = await rows('accounts', `<fetch><entity name='account'><attribute name='name'/><attribute name='address1_city'/>
      <filter><condition attribute='address1_city' operator='in'><value>Redmond</value><value>Dallas</value></condition></filter>
      <order attribute='address1_city' descending='true'/><order attribute='name'/></entity></fetch>`);
    expect(value.map((row) => row.name)).toEqual(['City Power & Light', 'Contoso Pharmaceuticals', 'Litware, Inc.']);
  });

  it('an order by alias sorts by the aliased column', async () => {
    const value = await rows('accounts', `<fetch><entity name='account'><attribute name='name'/><attribute name='accountnumber' alias='number'/>
      <filter><condition attribute='address1_city' operator='eq' value='Redmond'/></filter><order alias='number' descending='true'/></entity></fetch>`);
    expect(value.map((row) => [row.number, row.name])).toEqual([['ACC-008', 'City Power & Light'], ['ACC-002', 'Contoso Pharmaceuticals']]);
  });

  it('a choice column sorts by its label; useraworderby sorts by its value (order-rows)', async () => {
    const query = (raw: string) => `<fetch${raw}><entity name='contact'><attribute name='lastname'/>
      <filter><condition attribute='firstname' operator='eq' value='Sort'/></filter><order attribute='preferredcontactmethodcode'/></entity></fetch>`;
    expect((await rows('contacts', query(''))).map((row) => row.lastname)).toEqual(['Order Fax', 'Order Mail', 'Order Phone']);
    expect((await rows('contacts', query(" useraworderby='true'"))).map((row) => row.lastname)).toEqual(['Order Phone', 'Order Fax', 'Order Mail']);
  });

  it('a lookup sorts by the related row\'s primary name', async () => {
    const value = await rows('accounts', `<fetch><entity name='account'><attribute name='name'/>
      <filter><condition attribute='accountnumber' operator='in'><value>ACC-001</value><value>ACC-003</value><value>ACC-010</value></condition></filter>
      <order attribute='ownerid' descending='true'/></entity></fetch>`);
    // Sam Sales, Riley Reader, Alex Admin.
    expect(value.map((row) => row.name)).toEqual(['Litware, Inc.', "O'Brien Logistics", 'Fourth Coffee']);
  });
});

describe('FetchXML link-entity', () => {
  const CONTACTS_WITH_COMPANY = `<fetch><entity name='contact'><attribute name='fullname'/>
      <link-entity name='account' from='accountid' to='parentcustomerid' alias='company' LINKTYPE>
        <attribute name='name'/><attribute name='industrycode'/><attribute name='primarycontactid'/>
      </link-entity><order attribute='fullname'/></entity></fetch>`;

  it('inner: only rows with a match; linked columns are named alias.column', async () => {
    const value = await rows('contacts', CONTACTS_WITH_COMPANY.replace('LINKTYPE', ''));
    const nancy = value.find((row) => row.fullname === 'Nancy Anderson') as Row;
    expect(Object.keys(nancy)).toEqual(['@odata.etag', 'fullname', 'contactid', 'company.name', 'company.industrycode']);
    expect(nancy['company.name']).toBe('Fourth Coffee');
    expect(nancy['company.industrycode']).toBe(33);
    // Scott Konersmann has no company; the sorting contacts neither.
    expect(value.map((row) => row.fullname)).not.toContain('Scott Konersmann');
    expect(value.some((row) => row.fullname === 'Sort Order Fax')).toBe(false);
  });

  it('outer: rows without a match stay, without the linked columns', async () => {
    const value = await rows('contacts', CONTACTS_WITH_COMPANY.replace('LINKTYPE', "link-type='outer'"));
    const scott = value.find((row) => row.fullname === 'Scott Konersmann') as Row;
    expect(Object.keys(scott)).toEqual(['@odata.etag', 'fullname', 'contactid']);
    expect(value.filter((row) => row.fullname === 'Nancy Anderson')).toHaveLength(1);
  });

  it('linked columns carry their formatted values and lookup annotations', async () => {
    const value = await rows('contacts', CONTACTS_WITH_COMPANY.replace('LINKTYPE', ''), { headers: { Prefer: 'odata.include-annotations="*"' } });
    const nancy = value.find((row) => row.fullname === 'Nancy Anderson') as Row;
    expect(nancy['company.industrycode@OData.Community.Display.V1.FormattedValue']).toBe('Retail');
  });

  it('without an alias, the link is named after its table: account1', async () => {
    const value = await rows('contacts', `<fetch><entity name='contact'><attribute name='fullname'/>
      <filter><condition attribute='lastname' operator='eq' value='Anderson'/></filter>
      <link-entity name='account' from='accountid' to='parentcustomerid'><attribute name='name'/></link-entity></entity></fetch>`);
    expect(value[0]?.['account1.name']).toBe('Fourth Coffee');
  });

  it('nested link-entities join in turn: contact → account → its owner', async () => {
    const value = await rows('contacts', `<fetch><entity name='contact'><attribute name='fullname'/>
      <filter><condition attribute='lastname' operator='eq' value='McKay'/></filter>
      <link-entity name='account' from='accountid' to='parentcustomerid' alias='a'><attribute name='name'/>
        <link-entity name='systemuser' from='systemuserid' to='owninguser' alias='owner'><attribute name='fullname'/></link-entity>
      </link-entity></entity></fetch>`);
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({ fullname: 'Yvonne McKay', 'a.name': 'Litware, Inc.', 'owner.fullname': 'Sam Sales' });
  });

  it("a link-entity's filter limits the linked rows; a condition's entityname tests a linked column after an outer join", async () => {
    const withMcKay = await rows('accounts', `<fetch><entity name='account'><attribute name='name'/>
      <link-entity name='contact' from='parentcustomerid' to='accountid' alias='c'>
        <filter><condition attribute='lastname' operator='eq' value='McKay'/></filter></link-entity></entity></fetch>`);
    expect(withMcKay.map((row) => row.name)).toEqual(['Litware, Inc.']);
    const withoutContacts = await rows('accounts', `<fetch><entity name='account'><attribute name='name'/>
      <link-entity name='contact' from='parentcustomerid' to='accountid' alias='c' link-type='outer'/>
      <filter><condition entityname='c' attribute='contactid' operator='null'/></filter><order attribute='name'/></entity></fetch>`);
    expect(withoutContacts.map((row) => row.name)).toEqual(['Blue Yonder Airlines', 'Contoso Pharmaceuticals', "O'Brien Logistics"]);
  });

  it('orders of a link-entity come after those of the entity; entityname orders by a linked column first', async () => {
    const byLink = `<fetch><entity name='contact'><attribute name='lastname'/>
      <filter><condition attribute='lastname' operator='in'><value>McKay</value><value>Admin-Owned</value><value>Anderson</value></condition></filter>
      ORDERS</entity></fetch>`;
    const inside = await rows('contacts', byLink.replace('ORDERS', `<link-entity name='account' from='accountid' to='parentcustomerid' alias='a'><attribute name='name'/><order attribute='name' descending='true'/></link-entity><order attribute='lastname' descending='true'/>`));
    // The entity's order (lastname descending) wins over the link's.
    expect(inside.map((row) => row.lastname)).toEqual(['McKay', 'Anderson', 'Admin-Owned']);
    const first = await rows('contacts', byLink.replace('ORDERS', `<order entityname='a' attribute='name' descending='true'/><order attribute='lastname'/><link-entity name='account' from='accountid' to='parentcustomerid' alias='a'/>`));
    expect(first.map((row) => row.lastname)).toEqual(['Admin-Owned', 'McKay', 'Anderson']);
  });

  it('many-to-many through the intersect table, as join-tables shows with teammembership', async () => {
    const teams = await rows('systemusers', `<fetch><entity name='systemuser'><attribute name='fullname'/>
      <filter><condition attribute='internalemailaddress' operator='eq' value='${DEMO.tess}'/></filter>
      <link-entity name='teammembership' from='systemuserid' to='systemuserid' intersect='true'>
        <link-entity name='team' from='teamid' to='teamid' alias='team'><attribute name='name'/></link-entity>
      </link-entity></entity></fetch>`);
    expect(teams.map((row) => row['team.name'])).toEqual(['Sales Team']);
    const members = await rows('teams', `<fetch><entity name='team'><attribute name='name'/>
      <filter><condition attribute='name' operator='eq' value='Delegates'/></filter>
      <link-entity name='teammembership' from='teamid' to='teamid' intersect='true'>
        <link-entity name='systemuser' from='systemuserid' to='systemuserid' alias='member'><attribute name='fullname'/></link-entity>
      </link-entity></entity></fetch>`);
    expect(members.map((row) => row['member.fullname'])).toEqual(['Devon Delegate']);
  });

  it('roleprivileges carries privilegedepthmask, the role\'s depth as the documented bit mask', async () => {
    const found = await rows('roles', `<fetch><entity name='role'><attribute name='roleid'/>
      <filter><condition attribute='name' operator='eq' value='Salesperson'/></filter>
      <link-entity name='roleprivileges' from='roleid' to='roleid' intersect='true' alias='rp'><attribute name='privilegedepthmask'/>
        <link-entity name='privilege' from='privilegeid' to='privilegeid' alias='p'><attribute name='name'/>
          <filter><condition attribute='name' operator='in'><value>prvCreateAccount</value><value>prvReadAccount</value></condition></filter>
        </link-entity>
      </link-entity></entity></fetch>`);
    expect(found.length).toBeGreaterThan(0);
    const masks: Record<string, number> = { Basic: 1, Local: 2, Deep: 4, Global: 8 };
    for (const row of found) {
      const role = await api(emulator(), 'GET', `RetrieveRolePrivilegesRole(RoleId=${row.roleid as string})`);
      const entry = (role.json.RolePrivileges as Array<{ PrivilegeName: string; Depth: string }>).find((privilege) => privilege.PrivilegeName === row['p.name']);
      expect(row['rp.privilegedepthmask']).toBe(masks[entry?.Depth ?? '']);
    }
    expect(new Set(found.map((row) => row['rp.privilegedepthmask'])).size).toBeGreaterThan(1);
  });

  it('distinct returns each combination of the columns once, with no primary key', async () => {
    const query = (distinct: string) => `<fetch${distinct}><entity name='account'><attribute name='name'/>
      <filter><condition attribute='name' operator='eq' value='Litware, Inc.'/></filter>
      <link-entity name='contact' from='parentcustomerid' to='accountid'/></entity></fetch>`;
    expect(await rows('accounts', query(''))).toHaveLength(2);
    const distinct = await rows('accounts', query(" distinct='true'"));
    expect(distinct).toEqual([{ name: 'Litware, Inc.' }]);
  });
});

describe('FetchXML link-entity security', () => {
  const ACCOUNTS_AND_CONTACTS = `<fetch><entity name='account'><attribute name='name'/>
    <filter><condition attribute='name' operator='eq' value='Litware, Inc.'/></filter>
    <link-entity name='contact' from='parentcustomerid' to='accountid' alias='c' link-type='outer'><attribute name='lastname'/></link-entity></entity></fetch>`;

  it('linked rows the user may not read are left out (under impersonation, the intersection)', async () => {
    const riley = await rows('accounts', ACCOUNTS_AND_CONTACTS, { as: DEMO.riley });
    expect(riley.map((row) => row['c.lastname']).sort()).toEqual(['Admin-Owned', 'McKay']);
    // Sam reads contacts at Local depth in Contoso Sales: the admin's contact is out of reach.
    const sam = await rows('accounts', ACCOUNTS_AND_CONTACTS, asUser(DEMO.sam));
    expect(sam.map((row) => row['c.lastname'])).toEqual(['McKay']);
  });

  it('a linked table the user has no Read privilege on is the 403 an OData query of it gets', async () => {
    const response = await fetchXml('accounts', `<fetch><entity name='account'><attribute name='name'/>
      <link-entity name='task' from='regardingobjectid' to='accountid' link-type='outer'/></entity></fetch>`, asUser(DEMO.sam));
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain('prvReadTask');
  });
});

describe('FetchXML link-entity errors', () => {
  it('more than 15 link-entities: 0x8004430D', async () => {
    const links = Array.from({ length: 16 }, (_, i) => `<link-entity name='systemuser' from='systemuserid' to='ownerid' alias='u${i}' link-type='outer'/>`).join('');
    const response = await fetchXml('accounts', `<fetch><entity name='account'><attribute name='name'/>${links}</entity></fetch>`);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({ code: '0x8004430D', message: 'Number of link entities in query exceeded maximum limit.' });
  });

  it('an unknown table: QueryBuilderNoEntity; an unknown join column: QueryBuilderNoAttribute', async () => {
    const table = await fetchXml('accounts', `<fetch><entity name='account'><link-entity name='invoice' from='accountid' to='accountid'/></entity></fetch>`);
    expect(table.status).toBe(400);
    expect(table.json.error.code).toBe('0x80041102');
    const column = await fetchXml('accounts', `<fetch><entity name='account'><link-entity name='contact' from='accountid' to='accountid'/></entity></fetch>`);
    expect(column.status).toBe(400);
    expect(column.json.error.message).toBe("'contact' entity doesn't contain attribute with Name = 'accountid' and NameMapping = 'Logical'.");
  });
});
