import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * POST create over real HTTP (docs/dataverse-web-api.md §4.1): the 204/201 shapes, client-supplied keys, and every
 * way a body can be refused, with the service's codes. A refused body writes nothing.
 */
const emulator = useEmulator();

const accountCount = () => emulator().core.store.rows('account').size;
const rowByName = (table: string, name: string) =>
  [...emulator().core.store.rows(table).values()].find((row) => row.name === name || row.fullname === name);
const accountId = (name: string) => String(rowByName('account', name)?.accountid);

describe('POST create', () => {
  it('answers 204 with OData-EntityId and OData-Version, and no body', async () => {
    const response = await api(emulator(), 'POST', 'accounts', { body: { name: 'Created Plainly' } });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(response.headers.get('odata-version')).toBe('4.0');
    const id = String(rowByName('account', 'Created Plainly')?.accountid);
    expect(response.headers.get('odata-entityid')).toBe(`${emulator().url}/api/data/v9.2/accounts(${id})`);
  });

  it('echoes the requested API version in OData-EntityId', async () => {
    const response = await api(emulator(), 'POST', '/api/data/v9.0/accounts', { body: { name: 'Version Nine Oh' } });
    expect(response.headers.get('odata-entityid')).toMatch(new RegExp(`^${emulator().url}/api/data/v9\\.0/accounts\\([0-9a-f-]{36}\\)$`));
  });

  it('with Prefer: return=representation answers 201 with the row and Preference-Applied, without OData-EntityId', async () => {
    const response = await api(emulator(), 'POST', 'accounts', {
      body: { name: 'Represented', numberofemployees: 12 },
      headers: { Prefer: 'return=representation' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('return=representation');
    expect(response.headers.get('odata-entityid')).toBeNull();
    expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(response.json).toMatchObject({
      '@odata.context': expect.stringContaining('/api/data/v9.2/$metadata#accounts'),
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      accountid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Represented',
      numberofemployees: 12,
    });
  });

  it('uses a primary key supplied in the body as the id', async () => {
    const id = randomUUID();
    const response = await api(emulator(), 'POST', 'accounts', { body: { accountid: id.toUpperCase(), name: 'Own Key' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('odata-entityid')).toBe(`${emulator().apiUrl}accounts(${id})`);
    expect(emulator().core.store.get('account', id)?.name).toBe('Own Key');
  });

  it('answers 412 0x80040237 when the supplied key already exists, and writes nothing', async () => {
    const id = randomUUID();
    await api(emulator(), 'POST', 'accounts', { body: { accountid: id, name: 'First Holder' } });
    const before = accountCount();
    const response = await api(emulator(), 'POST', 'accounts', { body: { accountid: id, name: 'Second Holder' } });
    expect(response.status).toBe(412);
    expect(response.json).toEqual({ error: { code: '0x80040237', message: 'A record with matching key values already exists.' } });
    expect(accountCount()).toBe(before);
    expect(emulator().core.store.get('account', id)?.name).toBe('First Holder');
  });

  it('binds a lookup with nav@odata.bind, relative with or without a slash and absolute', async () => {
    const fourthCoffee = accountId('Fourth Coffee');
    const forms = [`/accounts(${fourthCoffee})`, `accounts(${fourthCoffee})`, `${emulator().apiUrl}accounts(${fourthCoffee})`];
    for (const [index, url] of forms.entries()) {
      const response = await api(emulator(), 'POST', 'contacts', {
        body: { firstname: 'Bound', lastname: `Form ${index}`, 'parentcustomerid_account@odata.bind': url },
      });
      expect(response.status).toBe(204);
      expect(rowByName('contact', `Bound Form ${index}`)?.parentcustomerid).toEqual({ table: 'account', id: fourthCoffee });
    }
  });

  it('computes a contact\'s fullname from first and last name', async () => {
    const response = await api(emulator(), 'POST', 'contacts', {
      body: { firstname: 'Ada', lastname: 'Lovelace' },
      headers: { Prefer: 'return=representation' },
    });
    expect(response.json.fullname).toBe('Ada Lovelace');
  });

  it('ignores platform columns in the body, as the service ignores columns not valid for create', async () => {
    const response = await api(emulator(), 'POST', 'contacts', {
      body: {
        firstname: 'Grace',
        lastname: 'Hopper',
        fullname: 'Not Her Name',
        createdon: '2001-01-01T00:00:00Z',
        versionnumber: 5,
        'createdby@odata.bind': `/systemusers(${randomUUID()})`,
      },
      headers: { Prefer: 'return=representation' },
    });
    expect(response.status).toBe(201);
    expect(response.json.fullname).toBe('Grace Hopper');
    expect(response.json.createdon).not.toBe('2001-01-01T00:00:00Z');
    expect(response.json.versionnumber).not.toBe(5);
  });

  it('ignores a If-None-Match: null header, as clients send it on every request', async () => {
    const response = await api(emulator(), 'POST', 'accounts', { body: { name: 'With Null Header' }, headers: { 'If-None-Match': 'null' } });
    expect(response.status).toBe(204);
  });
});

describe('POST create: refused bodies (nothing is written)', () => {
  const refusals: Array<[string, { body?: unknown; rawBody?: string }, number, string, RegExp | string]> = [
    ['malformed JSON', { rawBody: '{"name": ' }, 400, '0x80048d19', /InnerException : Microsoft\.OData\.ODataException: Invalid JSON\./],
    ['an empty body', { rawBody: '' }, 400, '0x80048d19', /Invalid JSON\./],
    ['an array', { body: [{ name: 'x' }] }, 400, '0x80048d19', /An unexpected 'StartArray' node was found when reading from the JSON reader\. A 'StartObject' node was expected\./],
    ['a string', { body: 'name' }, 400, '0x80048d19', /An unexpected 'PrimitiveValue' node was found/],
    [
      'an unknown property',
      { body: { name: 'x', Name: 'y' } },
      400,
      '0x0',
      "An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property 'Name' was found in entity 'Microsoft.Dynamics.CRM.account'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.",
    ],
    ['a string for an Integer', { body: { name: 'x', numberofemployees: 'abc' } }, 400, '0x80048d19', /Cannot convert the literal 'abc' to the expected type 'Edm\.Int32'\./],
    ['a fraction for an Integer', { body: { name: 'x', numberofemployees: 1.5 } }, 400, '0x80048d19', /Cannot convert the literal '1\.5' to the expected type 'Edm\.Int32'\./],
    ['a number for a String', { body: { name: 5 } }, 400, '0x80048d19', /Cannot convert the literal '5' to the expected type 'Edm\.String'\./],
    ['a number for a Boolean', { body: { name: 'x', creditonhold: 0 } }, 400, '0x80048d19', /Cannot convert the literal '0' to the expected type 'Edm\.Boolean'\./],
    ['a string for Money', { body: { name: 'x', revenue: '100' } }, 400, '0x80048d19', /Cannot convert the literal '100' to the expected type 'Edm\.Decimal'\./],
    ['a bad GUID key', { body: { accountid: 'not-a-guid', name: 'x' } }, 400, '0x80048d19', /Cannot convert the literal 'not-a-guid' to the expected type 'Edm\.Guid'\./],
    ['an object for a String', { body: { name: { first: 'x' } } }, 400, '0x80048d19', /An unexpected 'StartObject' node was found/],
    [
      'a picklist value that is not an option',
      { body: { name: 'x', industrycode: 99 } },
      400,
      '0x8004431a',
      "A validation error occurred. The value 99 of 'industrycode' on record of type 'account' is outside the valid range. Accepted Values: 1,2,3,7,33",
    ],
    [
      'a string over the column length',
      { body: { name: 'x', accountnumber: 'A'.repeat(21) } },
      400,
      '0x80044331',
      "A validation error occurred.  The length of the 'accountnumber' attribute of the 'account' entity exceeded the maximum allowed length of '20'.",
    ],
    [
      'an @odata.type of another table',
      { body: { name: 'x', '@odata.type': 'Microsoft.Dynamics.CRM.contact' } },
      400,
      '0x80048d19',
      /type 'Microsoft\.Dynamics\.CRM\.contact' was found, but it is not assignable to the expected type 'Microsoft\.Dynamics\.CRM\.account'/,
    ],
    [
      'an @odata.type the model does not know',
      { body: { name: 'x', '@odata.type': 'Microsoft.Dynamics.CRM.nothing' } },
      400,
      '0x80048d19',
      /A type named 'Microsoft\.Dynamics\.CRM\.nothing' could not be resolved by the model\./,
    ],
  ];

  it.each(refusals)('%s', async (_name, request, status, code, message) => {
    const before = accountCount();
    const response = await api(emulator(), 'POST', 'accounts', request);
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
    if (typeof message === 'string') expect(response.json.error.message).toBe(message);
    else expect(response.json.error.message).toMatch(message);
    expect(accountCount()).toBe(before);
  });

  it('a payload error names the entity set inside ODataClientPayloadError', async () => {
    const response = await api(emulator(), 'POST', 'contacts', { body: { firstname: 7 } });
    expect(response.json.error.message).toMatch(
      /^Error identified in Payload provided by the user for Entity :'contacts', For more information on this error please follow this help link https:\/\/go\.microsoft\.com\/fwlink\/\?linkid=2195293 {2}----> {2}InnerException : Microsoft\.OData\.ODataException: Cannot convert the literal '7' to the expected type 'Edm\.String'\.$/,
    );
  });

  it('binding through the lookup attribute instead of the navigation property is the undeclared-property error', async () => {
    const before = emulator().core.store.rows('contact').size;
    const response = await api(emulator(), 'POST', 'contacts', {
      body: { lastname: 'Wrong Nav', 'parentcustomerid@odata.bind': `/accounts(${accountId('Fourth Coffee')})` },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80048d19');
    expect(response.json.error.message).toContain(
      "InnerException : Microsoft.OData.ODataException: An undeclared property 'parentcustomerid' which only has property annotations in the payload but no property value was found in the payload.",
    );
    expect(emulator().core.store.rows('contact').size).toBe(before);
  });

  it.each([
    ['a bare id', (id: string) => id],
    ['another environment', (id: string) => `https://elsewhere.crm.dynamics.com/api/data/v9.2/accounts(${id})`],
    ['a key that is not a GUID', () => '/accounts(12)'],
    ['another table than the navigation\'s', () => `/contacts(${randomUUID()})`],
    ['an unknown entity set', (id: string) => `/widgets(${id})`],
    ['an alternate key the table does not define', (id: string) => `/accounts(name=${id})`],
  ])('a bind URL that is %s is 400 InvalidUrlForODataBindProperty', async (_name, url) => {
    const value = url(accountId('Fourth Coffee'));
    const response = await api(emulator(), 'POST', 'contacts', { body: { lastname: 'Bad Url', 'parentcustomerid_account@odata.bind': value } });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x80090800',
      message: `Invalid url value '${value}' for lookup property 'parentcustomerid_account'.`,
    });
  });

  it.each([
    ['an object', { id: 'x' }, 'StartObject'],
    ['an array', ['/accounts(00000000-0000-0000-0000-000000000001)'], 'StartArray'],
    ['an array nested deeper than JSON.stringify recurses', 'deep', 'StartArray'],
  ])('a bind value that is %s is the JSON reader\'s payload error, and nothing is written', async (_name, value, node) => {
    const before = emulator().core.store.rows('contact').size;
    const bind = value === 'deep' ? `${'['.repeat(100_000)}${']'.repeat(100_000)}` : JSON.stringify(value);
    const response = await api(emulator(), 'POST', 'contacts', { rawBody: `{"lastname":"Bad Bind","parentcustomerid_account@odata.bind":${bind}}` });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80048d19');
    expect(response.json.error.message).toContain(
      `InnerException : Microsoft.OData.ODataException: An unexpected '${node}' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected.`,
    );
    expect(emulator().core.store.rows('contact').size).toBe(before);
  });

  it('an @odata.type that is not a string is the JSON reader\'s payload error, however deep it nests', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await api(emulator(), 'POST', 'accounts', { rawBody: `{"name":"Bad Type","@odata.type":${deep}}` });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain("An unexpected 'StartArray' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected.");
  });

  it('a bind to a row that does not exist is 404 naming that row, and nothing is written', async () => {
    const missing = randomUUID();
    const before = emulator().core.store.rows('contact').size;
    const response = await api(emulator(), 'POST', 'contacts', {
      body: { lastname: 'Dangling', 'parentcustomerid_account@odata.bind': `/accounts(${missing})` },
    });
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'account' With Id = ${missing} Does Not Exist` });
    expect(emulator().core.store.rows('contact').size).toBe(before);
  });

  it.each(['_parentaccountid_value', '_createdby_value'])('writing the lookup property %s directly is 400 0x80060888', async (property) => {
    const before = accountCount();
    const response = await api(emulator(), 'POST', 'accounts', { body: { name: 'x', [property]: accountId('Fourth Coffee') } });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x80060888',
      message: 'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
    });
    expect(accountCount()).toBe(before);
  });

  it('a primitive value for a navigation property is a payload error', async () => {
    const response = await api(emulator(), 'POST', 'accounts', { body: { name: 'x', primarycontactid: randomUUID() } });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toMatch(
      /A primitive value was specified; however, a value of the non-primitive type 'Microsoft\.Dynamics\.CRM\.contact' was expected\./,
    );
  });

  it('creating a privilege is refused as the service refuses a message the table does not have', async () => {
    const response = await api(emulator(), 'POST', 'privileges', { as: DEMO.admin, body: { name: 'prvSomething' } });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x80040800',
      message: "The 'Create' method does not support entities of type 'privilege'. MessageProcessorCache returned MessageProcessor.Empty.",
    });
  });
});

describe('POST create: return=representation honours the URL\'s query options', () => {
  it('returns only the $select-ed columns (and the key)', async () => {
    const response = await api(emulator(), 'POST', 'accounts?$select=name,accountnumber', {
      body: { name: 'Selected', accountnumber: 'SEL-1', telephone1: '555' },
      headers: { Prefer: 'return=representation' },
    });
    expect(response.status).toBe(201);
    expect(response.json['@odata.context']).toBe(`${emulator().apiUrl}$metadata#accounts(name,accountnumber)/$entity`);
    expect(Object.keys(response.json).sort()).toEqual(['@odata.context', '@odata.etag', 'accountid', 'accountnumber', 'name'].sort());
  });

  it('a query option the service refuses is its 400, and no row is kept', async () => {
    const before = accountCount();
    const response = await api(emulator(), 'POST', 'accounts?$select=Name', {
      body: { name: 'Never Kept' },
      headers: { Prefer: 'return=representation' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toBe("Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.");
    expect(accountCount()).toBe(before);
  });
});
