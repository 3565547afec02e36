import { describe, expect, it } from 'vitest';
import { describeRecord, keyPredicate, parseRecordKey } from '../../src/dataverse/record-key.js';
import { recordPath } from '../../src/dataverse/odata.js';
import { UsageError } from '../../src/errors.js';

const GUID = '0787b6ab-439e-542e-a8ec-a931056ba03d';

describe('record keys', () => {
  it.each([
    [GUID, GUID],
    [`{${GUID.toUpperCase()}}`, GUID],
    ["accountnumber='A-1'", "accountnumber='A-1'"],
    ["firstname='Joe', emailaddress1='joe@contoso.com'", "firstname='Joe',emailaddress1='joe%40contoso.com'"],
    [`_primarycontactid_value=${GUID}`, `_primarycontactid_value=${GUID}`],
    ['example_key1=2,example_key2=-2.5', 'example_key1=2,example_key2=-2.5'],
    ["name='O''Neil (the elder), esq.=$1 @ ;!'", "name='O''Neil%20%28the%20elder%29%2C%20esq.%3D%241%20%40%20%3B%21'"],
    ["name='Zoë 東京'", "name='Zo%C3%AB%20%E6%9D%B1%E4%BA%AC'"],
    ['isactive=true,since=2024-05-01', 'isactive=true,since=2024-05-01'],
  ])('%s → (%s)', (raw, predicate) => {
    expect(keyPredicate(parseRecordKey(raw))).toBe(predicate);
  });

  it('a path built from any accepted key stays one segment of the table', () => {
    for (const raw of ["accountnumber='a''b'", "n='x y'", "n='(a)'", "a='1',b='2'"]) {
      const url = new URL(recordPath('accounts', raw), 'https://org.example/api/data/v9.2/');
      expect(url.pathname).toMatch(/^\/api\/data\/v9\.2\/accounts\([^/?#]*\)$/);
      expect(url.search).toBe('');
    }
  });

  it('describes a row for people, decoded', () => {
    expect(describeRecord('accounts', parseRecordKey("accountnumber='O''Neil 1'"))).toBe("accounts(accountnumber='O''Neil 1')");
  });

  it.each([
    ['a path that leaves the table', `accountnumber='x')/../../v9.2/systemusers(${GUID}`],
    ['a query', "accountnumber='x')?$select=fullname"],
    ['an unclosed quote', "accountnumber='x"],
    ['an unquoted text value', 'accountnumber=ACC-1'],
    ['no value', 'accountnumber='],
    ['no name', "='x'"],
    ['a name that is not a column', "account number='x'"],
    ['a column twice', "a='1',a='2'"],
    ['a trailing comma', "a='1',"],
    ['text after the value', "a='1'b"],
    ['a slash in a value', "accountnumber='A/1'"],
    ['a percent in a value', "accountnumber='100%'"],
    ['a hash in a value', "accountnumber='#1'"],
    ['a date-time (the colon)', 'since=2024-05-01T10:00:00Z'],
    ['a control character', "accountnumber='\u001b[2J'"],
    ['a C1 control character', "accountnumber='\u009b2J'"],
    ['not a key at all', 'contoso'],
    ['empty', '  '],
    ['17 columns', Array.from({ length: 17 }, (_, i) => `c${i}=1`).join(',')],
  ])('refuses %s (exit 2)', (_label, raw) => {
    let error: unknown;
    try {
      parseRecordKey(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).toMatch(/^The id .*\.$/s);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
