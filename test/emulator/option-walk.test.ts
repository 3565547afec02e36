import { describe, expect, it } from 'vitest';
import { DEMO, api, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';

/**
 * The walk of issue 10: every system query option, documented parameter, Prefer preference and
 * request header of the Web API's reference pages
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api,
 * …/webapi/compose-http-requests-handle-errors, …/optional-parameters) is either implemented
 * (its row asserts what it does) or refused (its row asserts the error). A new option is added
 * here with one of the two, never left to be ignored.
 */
const emulator = useEmulator();

type Check = (response: ApiResponse) => void;

const implemented = (check: Check) => ({ kind: 'implemented' as const, check });
const refused = (status: number, message: string) => ({ kind: 'refused' as const, status, message });
type Outcome = ReturnType<typeof implemented> | ReturnType<typeof refused>;

function expectOutcome(response: ApiResponse, outcome: Outcome): void {
  if (outcome.kind === 'implemented') {
    expect(response.status, response.text).toBeLessThan(400);
    outcome.check(response);
  } else {
    expect(response.status, response.text).toBe(outcome.status);
    expect(response.json.error.message).toContain(outcome.message);
  }
}

const names = (response: ApiResponse) => response.json.value.map((row: { name: string }) => row.name);
const notEmulated = (what: string) => refused(501, `Not emulated: ${what}`);

/** Every system query option OData 4.0 defines, and the parameters Dataverse adds to the URL. */
const QUERY_OPTIONS: Array<[string, string, Outcome]> = [
  ['$select', '$select=name', implemented((r) => expect(Object.keys(r.json.value[0]).sort()).toEqual(['@odata.etag', 'accountid', 'name']))],
  ['$filter', `$filter=${encodeURIComponent("name eq 'Fourth Coffee'")}`, implemented((r) => expect(names(r)).toEqual(['Fourth Coffee']))],
  ['$orderby', '$select=name&$orderby=name desc', implemented((r) => expect(names(r)).toEqual([...names(r)].sort().reverse()))],
  ['$top', '$top=2', implemented((r) => expect(r.json.value).toHaveLength(2))],
  ['$expand', '$select=name&$expand=primarycontactid($select=fullname)', implemented((r) => expect('primarycontactid' in r.json.value[0]).toBe(true))],
  ['$count', '$count=true&$top=1', implemented((r) => expect(r.json['@odata.count']).toBeGreaterThan(1))],
  ['parameter alias', `$filter=${encodeURIComponent('name eq @p')}&@p=${encodeURIComponent("'Coho Winery'")}`, implemented((r) => expect(names(r)).toEqual(['Coho Winery']))],
  ['fetchXml', `fetchXml=${encodeURIComponent('<fetch><entity name="account"><attribute name="name"/></entity></fetch>')}`, implemented((r) => expect(r.json.value[0].telephone1).toBeUndefined())],
  ['tag (a plug-in shared variable: no plug-ins)', '$select=name&$top=1&tag=import', implemented((r) => expect(r.json.value).toHaveLength(1))],
  ['$skip', '$skip=1', refused(400, 'Skip Clause is not supported in CRM')],
  ['$search', '$search=coffee', refused(400, 'Search Clause is not supported in CRM')],
  ['$format', '$format=json', refused(400, 'Format Clause is not supported in CRM')],
  ['$levels', '$levels=2', refused(400, 'Levels Clause is not supported in CRM')],
  ['$apply', `$apply=${encodeURIComponent('groupby((name))')}`, notEmulated("the query option '$apply'")],
  ['$compute', `$compute=${encodeURIComponent('name as n')}`, notEmulated("the query option '$compute'")],
  ['$deltatoken', '$deltatoken=919042', notEmulated("the query option '$deltatoken'")],
  ['sql', `sql=${encodeURIComponent('SELECT name FROM account')}`, notEmulated("the query option 'sql'")],
  ['savedQuery', 'savedQuery=00000000-0000-0000-00aa-000010001001', notEmulated("the query option 'savedQuery'")],
  ['userQuery', 'userQuery=00000000-0000-0000-00aa-000010001001', notEmulated("the query option 'userQuery'")],
  ['partitionId', 'partitionId=Device-1', notEmulated("the 'partitionId' parameter")],
  ['$id', '$id=x', refused(400, "The query parameter '$id' is not supported.")],
  ['$schemaversion', '$schemaversion=1', refused(400, "The query parameter '$schemaversion' is not supported.")],
  ['$index', '$index=1', refused(400, "The query parameter '$index' is not supported.")],
];

/** The options inside an $expand item (query-data-web-api: "Join tables"). */
const EXPAND_OPTIONS: Array<[string, string, Outcome]> = [
  ['$select', '$select=fullname', implemented((r) => expect(r.json.value.some((row: any) => row.contact_customer_accounts.length > 0)).toBe(true))],
  ['$filter', `$filter=${encodeURIComponent("firstname eq 'Nancy'")}`, implemented((r) => expect(r.json.value.flatMap((row: any) => row.contact_customer_accounts)).toHaveLength(1))],
  ['$orderby', '$orderby=fullname', implemented((r) => expect(r.json.value.length).toBeGreaterThan(0))],
  ['$top', '$top=1', implemented((r) => expect(r.json.value.every((row: any) => row.contact_customer_accounts.length <= 1)).toBe(true))],
  ['$expand', '$expand=owninguser($select=fullname)', implemented((r) => expect(r.json.value.flatMap((row: any) => row.contact_customer_accounts)[0].owninguser.fullname).toBeTruthy())],
  ['$count', '$count=true', refused(400, 'Count Clause is not supported in CRM')],
  ['$levels', '$levels=2', refused(400, 'Levels Clause is not supported in CRM')],
  ['$skip', '$skip=1', refused(400, 'not supported')],
];

describe('every documented query option is implemented or refused', () => {
  it.each(QUERY_OPTIONS)('%s', async (_name, query, outcome) => {
    expectOutcome(await api(emulator(), 'GET', `accounts?${query}`), outcome);
  });

  it.each(EXPAND_OPTIONS)('$expand(%s)', async (_name, nested, outcome) => {
    expectOutcome(await api(emulator(), 'GET', `accounts?$select=name&$expand=contact_customer_accounts(${nested})`), outcome);
  });

  it('$skiptoken: the nextLink of a page gives the next page', async () => {
    const first = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { Prefer: 'odata.maxpagesize=3' } });
    const next = await api(emulator(), 'GET', first.json['@odata.nextLink'], { headers: { Prefer: 'odata.maxpagesize=3' } });
    expect(new URL(first.json['@odata.nextLink']).searchParams.has('$skiptoken')).toBe(true);
    expect(names(next)).not.toContain(names(first)[0]);
    expect(next.json.value).toHaveLength(3);
  });
});

/** Every Prefer preference Dataverse documents (compose-http-requests-handle-errors, "Prefer Headers"; execute-batch-operations-using-web-api). */
describe('every documented Prefer preference is implemented or refused', () => {
  it('return=representation: a create answers 201 with the row', async () => {
    const response = await api(emulator(), 'POST', 'accounts?$select=name', { headers: { Prefer: 'return=representation' }, body: { name: 'Walk Representation' } });
    expectOutcome(response, implemented((r) => {
      expect(r.status).toBe(201);
      expect(r.json.name).toBe('Walk Representation');
    }));
  });

  it('return=minimal: the default, 204 without a body', async () => {
    const response = await api(emulator(), 'POST', 'accounts', { headers: { Prefer: 'return=minimal' }, body: { name: 'Walk Minimal' } });
    expectOutcome(response, implemented((r) => expect([r.status, r.text]).toEqual([204, ''])));
  });

  it('odata.include-annotations: formatted values, echoed in Preference-Applied', async () => {
    const response = await api(emulator(), 'GET', `accounts?$select=revenue&$filter=${encodeURIComponent("name eq 'Fourth Coffee'")}`, {
      headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    expectOutcome(response, implemented((r) => {
      expect(r.json.value[0]['revenue@OData.Community.Display.V1.FormattedValue']).toBe('$1,200,000.00');
      expect(r.headers.get('preference-applied')).toBe('odata.include-annotations="OData.Community.Display.V1.FormattedValue"');
    }));
  });

  it('odata.maxpagesize: pages of that size with a nextLink; a value that is not a positive number is refused', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { Prefer: 'odata.maxpagesize=2' } });
    expectOutcome(response, implemented((r) => {
      expect(r.json.value).toHaveLength(2);
      expect(r.json['@odata.nextLink']).toBeTruthy();
    }));
    for (const bad of ['abc', '0', '-3', '2.5']) {
      expectOutcome(
        await api(emulator(), 'GET', 'accounts?$select=name', { headers: { Prefer: `odata.maxpagesize=${bad}` } }),
        refused(400, `The odata.maxpagesize preference must be a positive whole number, not '${bad}'.`),
      );
    }
  });

  it('odata.track-changes: change tracking is not emulated', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { Prefer: 'odata.track-changes' } });
    expectOutcome(response, notEmulated('the preference odata.track-changes'));
  });

  it('odata.continue-on-error: applied to a $batch; elsewhere the service documents no effect, and none is applied', async () => {
    const boundary = 'batch_walk';
    const part = (path: string) =>
      `--${boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET ${emulator().apiUrl}${path} HTTP/1.1\r\nAccept: application/json\r\n\r\n`;
    const batch = await api(emulator(), 'POST', '$batch', {
      headers: { Prefer: 'odata.continue-on-error', 'Content-Type': `multipart/mixed;boundary=${boundary}` },
      rawBody: `${part('nosuch')}${part('accounts?$top=1&$select=name')}--${boundary}--\r\n`,
    });
    expectOutcome(batch, implemented((r) => {
      expect(r.headers.get('preference-applied')).toBe('odata.continue-on-error');
      expect(r.text).toContain('HTTP/1.1 404');
      expect(r.text).toContain('HTTP/1.1 200');
    }));
    const plain = await api(emulator(), 'GET', 'accounts?$select=name&$top=1', { headers: { Prefer: 'odata.continue-on-error' } });
    expectOutcome(plain, implemented((r) => expect(r.headers.get('preference-applied')).toBeNull()));
  });

  it('a preference Dataverse does not document (respond-async) is answered as without it, as RFC 7240 allows', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name&$top=1', { headers: { Prefer: 'respond-async' } });
    expectOutcome(response, implemented((r) => {
      expect(r.status).toBe(200);
      expect(r.headers.get('preference-applied')).toBeNull();
    }));
  });
});

/** The request headers of compose-http-requests-handle-errors ("Other headers") and optional-parameters. */
describe('every documented request header is implemented, accepted as documented, or refused', () => {
  const fourthCoffee = () => [...emulator().core.store.rows('account').values()].find((row) => row.name === 'Fourth Coffee');

  it('If-None-Match on a read: 304 when the ETag still matches', async () => {
    const first = await api(emulator(), 'GET', `accounts(${fourthCoffee()?.accountid})?$select=name`);
    const again = await api(emulator(), 'GET', `accounts(${fourthCoffee()?.accountid})?$select=name`, { headers: { 'If-None-Match': String(first.headers.get('etag')) } });
    expectOutcome(again, implemented((r) => expect(r.status).toBe(304)));
  });

  it('If-Match on a write: 412 when the ETag no longer matches', async () => {
    const response = await api(emulator(), 'PATCH', `accounts(${fourthCoffee()?.accountid})`, { headers: { 'If-Match': 'W/"1"' }, body: { telephone1: 'x' } });
    expectOutcome(response, refused(412, 'The version of the existing record doesn'));
  });

  it('CallerObjectId and MSCRMCallerID: the request runs as that user', async () => {
    const sam = user(emulator(), DEMO.sam);
    const choices: Array<Record<string, string>> = [{ CallerObjectId: String(sam.azureactivedirectoryobjectid) }, { MSCRMCallerID: sam.systemuserid }];
    for (const headers of choices) {
      expectOutcome(await api(emulator(), 'GET', 'WhoAmI', { headers }), implemented((r) => expect(r.json.UserId).toBe(sam.systemuserid)));
    }
  });

  it.each([
    ['MSCRM.SolutionUniqueName', 'ExampleSolution', notEmulated('the MSCRM.SolutionUniqueName header')],
    ['MSCRM.SuppressDuplicateDetection', 'false', notEmulated('duplicate detection')],
    ['MSCRM.SuppressDuplicateDetection', 'true', implemented((r) => expect(r.status).toBe(204))],
    ['MSCRM.SuppressDuplicateDetection', 'perhaps', refused(400, "The MSCRM.SuppressDuplicateDetection header takes true or false, not 'perhaps'.")],
    ['MSCRM.BypassCustomPluginExecution', 'true', implemented((r) => expect(r.status).toBe(204))],
    ['MSCRM.BypassBusinessLogicExecution', 'CustomSync,CustomAsync', implemented((r) => expect(r.status).toBe(204))],
    ['MSCRM.BypassBusinessLogicExecution', 'Everything', refused(400, "'Everything' is neither")],
    ['MSCRM.BypassBusinessLogicExecutionStepIds', '00000000-0000-4000-8000-000000000001', notEmulated('the MSCRM.BypassBusinessLogicExecutionStepIds header')],
    ['MSCRM.SuppressCallbackRegistrationExpanderJob', 'true', implemented((r) => expect(r.status).toBe(204))],
    ['Consistency', 'Strong', implemented((r) => expect(r.status).toBe(204))],
    ['MSCRM.SessionToken', '207:8#142792105#7=-1', notEmulated('the MSCRM.SessionToken header')],
  ])('%s: %s', async (name, value, outcome) => {
    const before = emulator().core.store.rows('account').size;
    const response = await api(emulator(), 'POST', 'accounts', { as: DEMO.admin, headers: { [name]: value }, body: { name: `Walk ${name}` } });
    expectOutcome(response, outcome);
    expect(emulator().core.store.rows('account').size).toBe(before + (outcome.kind === 'implemented' ? 1 : 0));
  });

  it.each([
    ['MSCRM.BypassCustomPluginExecution', 'true', 'prvBypassCustomPlugins'],
    ['MSCRM.BypassBusinessLogicExecution', 'CustomSync', 'prvBypassCustomBusinessLogic'],
  ])('%s takes the calling user\'s %s privilege', async (name, value, privilege) => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name&$top=1', { as: DEMO.riley, headers: { [name]: value } });
    expectOutcome(response, refused(403, `is missing ${privilege} privilege`));
    // The token's user is the one who must hold it, whoever the request impersonates.
    const admin = user(emulator(), DEMO.admin);
    const impersonating = await api(emulator(), 'GET', 'accounts?$select=name&$top=1', { as: DEMO.app, headers: { [name]: value, MSCRMCallerID: admin.systemuserid } });
    expectOutcome(impersonating, refused(403, `is missing ${privilege} privilege`));
  });
});
