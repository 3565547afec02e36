import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { api, useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;
const PAGE_OF_THREE = { Prefer: 'odata.maxpagesize=3' };

/** Follows @odata.nextLink unchanged, with the same Prefer, until there is none. */
async function allPages(target: RunningEmulator, path: string, headers: Record<string, string>) {
  const pages = [];
  let next: string | undefined = path;
  while (next) {
    const response = await api(target, 'GET', next, { headers });
    expect(response.status).toBe(200);
    pages.push(response);
    next = response.json['@odata.nextLink'];
  }
  return pages;
}

describe('paging with Prefer: odata.maxpagesize', () => {
  it('answers a page, Preference-Applied, and a nextLink with the service\'s paging cookie', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { headers: PAGE_OF_THREE });
    expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    expect(response.json.value).toHaveLength(3);
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'value', '@odata.nextLink']);
    const link: string = response.json['@odata.nextLink'];
    const prefix = `${root()}accounts?$select=name&$skiptoken=`;
    expect(link.startsWith(prefix)).toBe(true);
    // URL-encoded as the service writes it: %3C, %20, %22, with = and / left alone.
    expect(link.slice(prefix.length)).toMatch(/^%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e.*%22%20istracking=%22False%22%20\/%3E$/);
    const token = decodeURIComponent(link.slice(prefix.length));
    const [first, last] = [response.json.value[0].accountid, response.json.value[2].accountid].map((id: string) => id.toUpperCase());
    expect(token).toBe(
      `<cookie pagenumber="2" pagingcookie="${encodeURIComponent(`<cookie page="1"><accountid last="{${last}}" first="{${first}}" /></cookie>`).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())}" istracking="False" />`,
    );
  });

  it('following the nextLinks returns every row once, in the unpaged order, and the last page has no nextLink', async () => {
    const path = `accounts?$select=name&$filter=${encodeURIComponent("name ne 'Coho Winery'")}&$orderby=name desc`;
    const pages = await allPages(emulator(), path, PAGE_OF_THREE);
    expect(pages.map((page) => page.json.value.length)).toEqual([3, 3, 3]);
    const paged = pages.flatMap((page) => page.json.value.map((row: { name: string }) => row.name));
    const unpaged = await api(emulator(), 'GET', path);
    expect(paged).toEqual(unpaged.json.value.map((row: { name: string }) => row.name));
    expect(new Set(paged).size).toBe(9);
    expect(pages.at(-1)?.json).not.toHaveProperty('@odata.nextLink');
    // The nextLinks keep the request's other options.
    expect(decodeURIComponent(pages[0]?.json['@odata.nextLink'])).toContain("$filter=name ne 'Coho Winery'&$orderby=name desc&$skiptoken=");
  });

  it('$count=true counts every matching row, not just the page', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name&$count=true', { headers: PAGE_OF_THREE });
    expect(Object.keys(response.json)).toEqual(['@odata.context', '@odata.count', 'value', '@odata.nextLink']);
    expect(response.json['@odata.count']).toBe(10);
  });

  it('ignores $top when a max page size is given', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name&$top=2', { headers: PAGE_OF_THREE });
    expect(response.json.value).toHaveLength(3);
    expect(response.json['@odata.nextLink']).toBeDefined();
  });

  it('ignores a max page size above 5,000 (no Preference-Applied)', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { Prefer: 'odata.maxpagesize=5001' } });
    expect(response.headers.get('preference-applied')).toBeNull();
    expect(response.json.value).toHaveLength(10);
  });

  it('pages a navigation collection too', async () => {
    const roleId = (await api(emulator(), 'GET', `roles?$select=name&$filter=${encodeURIComponent("name eq 'System Administrator'")}`)).json.value[0].roleid;
    const pages = await allPages(emulator(), `roles(${roleId})/roleprivileges_association?$select=name&$orderby=name`, { Prefer: 'odata.maxpagesize=20' });
    const names = pages.flatMap((page) => page.json.value.map((row: { name: string }) => row.name));
    expect(pages.length).toBeGreaterThan(1);
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the default and largest page: 5,000 rows', () => {
  const big = useEmulator();

  it('answers 5,000 rows and a nextLink without a Prefer header, and caps @odata.count at 5,000', async () => {
    const { store } = big().core;
    const owner = [...store.rows('systemuser').values()][0];
    for (let i = 0; i < 5003; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      store.insert('task', id, { activityid: id, subject: `Bulk task ${i}`, ownerid: { table: 'systemuser', id: String(owner?.systemuserid) }, versionnumber: store.nextVersion() });
    }
    const first = await api(big(), 'GET', 'tasks?$select=subject&$count=true', {
      headers: { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"' },
    });
    expect(first.json.value).toHaveLength(5000);
    expect(first.json['@odata.count']).toBe(5000);
    expect(first.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(5000);
    expect(first.json['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(true);
    const second = await api(big(), 'GET', first.json['@odata.nextLink']);
    expect(second.json.value).toHaveLength(5);
    expect(second.json).not.toHaveProperty('@odata.nextLink');
    expect((await api(big(), 'GET', 'tasks/$count')).text).toBe('5000');
  });
});
