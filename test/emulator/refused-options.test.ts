import { describe, expect, it } from 'vitest';
import { api, useEmulator } from '../helpers/emulator.js';

/** No option is ignored: each documented query option is implemented or refused (issue 10). */
const emulator = useEmulator();

describe('query options the emulator does not implement are refused, never ignored', () => {
  it.each([
    ['sql', encodeURIComponent('SELECT name FROM account')],
    ['savedQuery', '00000000-0000-0000-00aa-000010001001'],
    ['userQuery', '00000000-0000-0000-00aa-000010001001'],
    ['$apply', 'groupby((name))'],
    ['$compute', "name as n"],
    ['$deltatoken', '919042%2108%2f22%2f2017%2008%3a10%3a44'],
  ])('%s: 501 not emulated, naming the option', async (name, value) => {
    const response = await api(emulator(), 'GET', `accounts?${name}=${value}`);
    expect(response.status).toBe(501);
    expect(response.json.error.message.startsWith(`Not emulated: the query option '${name}'`)).toBe(true);
  });

  it.each([['$skip', 'Skip'], ['$search', 'Search'], ['$format', 'Format']])('%s: the service\'s own 400', async (name, clause) => {
    const response = await api(emulator(), 'GET', `accounts?${name}=1`);
    expect(response.status).toBe(400);
    expect(response.json.error.message).toBe(`${clause} Clause is not supported in CRM`);
  });

  it.each([['$select', 'name'], ['$filter', "name eq 'x'"], ['$orderby', 'name'], ['$top', '1'], ['$expand', 'primarycontactid'], ['$count', 'true'], ['fetchXml', '<fetch><entity name="account"><attribute name="name"/></entity></fetch>']])(
    '%s is implemented',
    async (name, value) => {
      const response = await api(emulator(), 'GET', `accounts?${name}=${encodeURIComponent(value)}`);
      expect(response.status).toBe(200);
    },
  );
});
