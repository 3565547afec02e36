import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';

/**
 * FetchXML paging over real HTTP (issue 10): `top`, `count`/`page`, the paging cookie in the shape
 * Microsoft's "Page results using FetchXml" shows, followed the way its Web API sample follows it,
 * and the record counts of "Count rows using FetchXml".
 */
const emulator = useEmulator();

const PAGING = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"' };
const COOKIE = '@Microsoft.Dynamics.CRM.fetchxmlpagingcookie';
const MORE = '@Microsoft.Dynamics.CRM.morerecords';

const ALL_BY_NAME = [
  'Adventure Works', 'Alpine Ski House', 'Blue Yonder Airlines', 'City Power & Light', 'Coho Winery',
  'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Fourth Coffee', 'Litware, Inc.', "O'Brien Logistics",
];

function fetchXml(xml: string, options: Parameters<typeof api>[3] = {}): Promise<ApiResponse> {
  return api(emulator(), 'GET', `accounts?fetchXml=${encodeURIComponent(xml)}`, options);
}

function accountsPage(page: number, count: number, cookie?: string): string {
  const cookieAttribute = cookie === undefined ? '' : ` paging-cookie='${escapeXml(cookie)}'`;
  return `<fetch count='${count}' page='${page}'${cookieAttribute}><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

/** The documented client step: take the `pagingcookie` attribute of the annotation and URL-decode it twice. */
function innerCookie(annotation: string): string {
  const encoded = /pagingcookie="([^"]*)"/.exec(annotation)?.[1];
  expect(encoded).toBeDefined();
  return decodeURIComponent(decodeURIComponent(encoded as string));
}

/** Follows the cookies from page 1 to the end as the docs' RetrieveAll does; returns every page's names. */
async function allPages(count: number, options: Parameters<typeof api>[3] = {}): Promise<string[][]> {
  const pages: string[][] = [];
  let cookie: string | undefined;
  for (let page = 1; page < 50; page++) {
    const response = await fetchXml(accountsPage(page, count, cookie), { ...options, headers: { ...PAGING, ...options.headers } });
    expect(response.status, response.text).toBe(200);
    pages.push(response.json.value.map((row: { name: string }) => row.name));
    if (!(MORE in response.json)) {
      expect(response.json).not.toHaveProperty(COOKIE);
      return pages;
    }
    expect(response.json[MORE]).toBe(true);
    cookie = innerCookie(response.json[COOKIE]);
  }
  throw new Error('paging did not end');
}

describe('FetchXML paging cookies', () => {
  it('has the documented shape: pagenumber, the inner cookie URL-encoded twice, istracking', async () => {
    const response = await fetchXml(accountsPage(1, 3), { headers: PAGING });
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBe(PAGING.Prefer);
    expect(Object.keys(response.json)).toEqual(['@odata.context', COOKIE, MORE, 'value']);
    const annotation = response.json[COOKIE] as string;
    expect(annotation).toMatch(/^<cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e[0-9A-Za-z%._~-]+" istracking="False" \/>$/);
    const [first, , last] = response.json.value as Array<{ name: string; accountid: string }>;
    expect(innerCookie(annotation)).toBe(
      `<cookie page="1"><name last="${last?.name}" first="${first?.name}" />` +
        `<accountid last="{${last?.accountid.toUpperCase()}}" first="{${first?.accountid.toUpperCase()}}" /></cookie>`,
    );
  });

  it('followed page after page, they return every row once, in order; the last page has neither annotation', async () => {
    const pages = await allPages(3);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat()).toEqual(ALL_BY_NAME);
  });

  it('the next page continues after the last row of the cookie, even when earlier rows went away', async () => {
    const created = await api(emulator(), 'POST', 'accounts', { as: DEMO.admin, body: { name: 'Aaa Paging Temp' }, headers: { Prefer: 'return=representation' } });
    expect(created.status).toBe(201);
    const first = await fetchXml(accountsPage(1, 3), { headers: PAGING });
    expect(first.json.value.map((row: { name: string }) => row.name)).toEqual(['Aaa Paging Temp', 'Adventure Works', 'Alpine Ski House']);
    expect((await api(emulator(), 'DELETE', `accounts(${created.json.accountid})`, { as: DEMO.admin })).status).toBe(204);
    const second = await fetchXml(accountsPage(2, 3, innerCookie(first.json[COOKIE])), { headers: PAGING });
    // With the cookie: straight after Alpine Ski House. Counting pages would have skipped Blue Yonder.
    expect(second.json.value.map((row: { name: string }) => row.name)).toEqual(['Blue Yonder Airlines', 'City Power & Light', 'Coho Winery']);
    const simple = await fetchXml(accountsPage(2, 3), { headers: PAGING });
    expect(simple.json.value.map((row: { name: string }) => row.name)).toEqual(['City Power & Light', 'Coho Winery', 'Contoso Pharmaceuticals']);
  });

  it('a row joined to several linked rows is paged by count, each joined row once', async () => {
    const created: string[] = [];
    for (const lastname of ['Paging One', 'Paging Two', 'Paging Three']) {
      const litware = [...emulator().core.store.rows('account').values()].find((row) => row.name === 'Litware, Inc.');
      const response = await api(emulator(), 'POST', 'contacts', { body: { lastname, 'parentcustomerid_account@odata.bind': `/accounts(${String(litware?.accountid)})` } });
      expect(response.status).toBe(204);
      created.push(lastname);
    }
    const query = (page: number, cookie?: string) =>
      `<fetch count='2' page='${page}'${cookie === undefined ? '' : ` paging-cookie='${escapeXml(cookie)}'`}><entity name='account'><attribute name='name'/>
        <filter><condition attribute='name' operator='eq' value='Litware, Inc.'/></filter>
        <link-entity name='contact' from='parentcustomerid' to='accountid' alias='c'><attribute name='lastname'/><filter><condition attribute='lastname' operator='like' value='Paging%'/></filter></link-entity></entity></fetch>`;
    const first = await fetchXml(query(1), { headers: PAGING });
    const second = await fetchXml(query(2, innerCookie(first.json[COOKIE])), { headers: PAGING });
    const seen = [...first.json.value, ...second.json.value].map((row: Record<string, string>) => row['c.lastname']);
    expect(seen.sort()).toEqual([...created].sort());
    expect(second.json).not.toHaveProperty(MORE);
  });

  it('simple paging counts pages; the cookie of a page other than the previous one is ignored', async () => {
    const page1 = await fetchXml(accountsPage(1, 3), { headers: PAGING });
    const page3 = await fetchXml(accountsPage(3, 3, innerCookie(page1.json[COOKIE])), { headers: PAGING });
    expect(page3.json.value.map((row: { name: string }) => row.name)).toEqual(ALL_BY_NAME.slice(6, 9));
  });

  it('without the Prefer annotations there are none, even when more rows follow', async () => {
    const response = await fetchXml(accountsPage(1, 3));
    expect(response.json.value).toHaveLength(3);
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'value']);
  });

  it('pages hold only the rows the user may read (Sam, impersonated)', async () => {
    const pages = await allPages(2, { headers: { MSCRMCallerID: user(emulator(), DEMO.sam).systemuserid } });
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.']);
  });

  it('a query sorted by a link-entity column gets no cookie (page-results), only morerecords', async () => {
    const response = await fetchXml(
      `<fetch count='2' page='1'><entity name='account'><attribute name='name'/>
        <link-entity name='systemuser' from='systemuserid' to='owninguser' alias='o'><order attribute='fullname'/></link-entity></entity></fetch>`,
      { headers: PAGING },
    );
    expect(response.json[MORE]).toBe(true);
    expect(response.json).not.toHaveProperty(COOKIE);
  });

  it('a paging-cookie that is not one is a 400', async () => {
    const response = await fetchXml(accountsPage(2, 3, 'not a cookie'));
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80040203');
  });
});

describe('FetchXML top and counts', () => {
  it('top limits the rows, with no paging annotations', async () => {
    const response = await fetchXml(`<fetch top='2'><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`, { headers: PAGING });
    expect(response.json.value.map((row: { name: string }) => row.name)).toEqual(ALL_BY_NAME.slice(0, 2));
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'value']);
  });

  it('top with page, top above 5,000, or top with returntotalrecordcount is refused', async () => {
    const withPage = await fetchXml(`<fetch top='2' page='1'><entity name='account'/></fetch>`);
    expect(withPage.status).toBe(400);
    expect(withPage.json.error.message).toBe("The top attribute can't be specified with paging attribute page");
    expect((await fetchXml(`<fetch top='5001'><entity name='account'/></fetch>`)).status).toBe(400);
    expect((await fetchXml(`<fetch top='2' returntotalrecordcount='true'><entity name='account'/></fetch>`)).status).toBe(400);
  });

  it('returntotalrecordcount, like $count=true, adds @odata.count and the record-count annotations before the cookie', async () => {
    const headers = { Prefer: 'odata.include-annotations="*"' };
    const viaAttribute = await fetchXml(`<fetch count='3' page='1' returntotalrecordcount='true'><entity name='account'><attribute name='name'/></entity></fetch>`, { headers });
    expect(Object.keys(viaAttribute.json)).toEqual([
      '@odata.context', '@odata.count', '@Microsoft.Dynamics.CRM.totalrecordcount', '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded', COOKIE, MORE, 'value',
    ]);
    expect(viaAttribute.json['@odata.count']).toBe(10);
    expect(viaAttribute.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(10);
    expect(viaAttribute.json['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(false);
    const xml = encodeURIComponent(`<fetch count='3'><entity name='account'><attribute name='name'/></entity></fetch>`);
    const viaOption = await api(emulator(), 'GET', `accounts?fetchXml=${xml}&$count=true`);
    expect(viaOption.json['@odata.count']).toBe(10);
    expect(viaOption.json.value).toHaveLength(3);
  });

  it('the query can come inside $batch, as the docs advise for long FetchXML', async () => {
    const xml = encodeURIComponent(`<fetch top='1'><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`);
    const body = ['--batch_f', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', `GET /api/data/v9.2/accounts?fetchXml=${xml} HTTP/1.1`, 'Accept: application/json', '', '--batch_f--', ''].join('\r\n');
    const response = await api(emulator(), 'POST', '$batch', { rawBody: body, headers: { 'Content-Type': 'multipart/mixed; boundary=batch_f' } });
    expect(response.status).toBe(200);
    expect(response.text).toContain('HTTP/1.1 200 OK');
    expect(response.text).toContain('"name":"Adventure Works"');
  });
});
