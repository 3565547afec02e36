import { describe, expect, it } from 'vitest';
import { ContentIdReferenceError, resolveBody, resolveUrl } from '../../src/emulator/batch/content-id.js';
import { forwardedHeaders } from '../../src/emulator/batch/inner-headers.js';

const account = 'http://127.0.0.1:1/api/data/v9.2/accounts(11111111-1111-1111-1111-111111111111)';
const ids = new Map([['1', account]]);

describe('Content-ID references', () => {
  it.each([
    ['an entity', (deep: string) => `{"name":"x","parentcustomerid_account@odata.bind":"$1","nested":${deep}}`],
    ['a bind value', (deep: string) => `{"name":"x","Account_Tasks@odata.bind":["$1",${deep}]}`],
  ])('returns a body nested deeper than any entity in %s as sent, for the handler to refuse', (_where, body) => {
    const deep = `${'['.repeat(100_000)}"$1"${']'.repeat(100_000)}`;
    expect(resolveBody(body(deep), ids)).toBe(body(deep));
  });

  it.each([
    ['$1', account],
    ['$1/contact_customer_accounts/$ref', `${account}/contact_customer_accounts/$ref`],
    ['$1?$select=name', `${account}?$select=name`],
    ['accounts', 'accounts'],
    ['$metadata', '$metadata'],
  ])('resolves the URL %s', (url, expected) => {
    expect(resolveUrl(url, ids)).toBe(expected);
  });

  it('throws for an undeclared Content-ID, naming it as the service does', () => {
    expect(() => resolveUrl('$2/name', ids)).toThrowError(new ContentIdReferenceError('$2'));
    expect(new ContentIdReferenceError('$2').message).toBe("Content-ID Reference: '$2' does not exist in the batch context.");
  });

  it('resolves @odata.bind and @odata.id values, deep inserts and collection binds included', () => {
    const body = JSON.stringify({
      lastname: '$1 stays text',
      'parentcustomerid_account@odata.bind': '$1',
      '@odata.id': '$1',
      Contact_Tasks: [{ subject: 't', 'regardingobjectid_account_task@odata.bind': '$1' }],
      'Account_Tasks@odata.bind': ['$1', '/tasks(22222222-2222-2222-2222-222222222222)'],
    });
    expect(JSON.parse(resolveBody(body, ids))).toEqual({
      lastname: '$1 stays text',
      'parentcustomerid_account@odata.bind': account,
      '@odata.id': account,
      Contact_Tasks: [{ subject: 't', 'regardingobjectid_account_task@odata.bind': account }],
      'Account_Tasks@odata.bind': [account, '/tasks(22222222-2222-2222-2222-222222222222)'],
    });
  });

  it('leaves bodies without references, and bodies that are not JSON, exactly as sent', () => {
    expect(resolveBody('{ "name" : "A" }', ids)).toBe('{ "name" : "A" }');
    expect(resolveBody('{"x@odata.bind":"$1", broken', ids)).toBe('{"x@odata.bind":"$1", broken');
  });

  it('throws for an undeclared reference in a bind', () => {
    expect(() => resolveBody('{"x@odata.bind":"$3"}', ids)).toThrow(ContentIdReferenceError);
  });
});

describe('forwardedHeaders', () => {
  const outer = { authorization: 'Bearer outer', mscrmcallerid: 'sam', prefer: 'odata.continue-on-error', 'content-type': 'multipart/mixed' };

  it('gives every request the batch Authorization and impersonation, and nothing else of the batch', () => {
    expect(forwardedHeaders({ 'content-type': 'application/json' }, outer)).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer outer',
      mscrmcallerid: 'sam',
    });
  });

  it("lets a request's own impersonation header win, whichever header each side used", () => {
    expect(forwardedHeaders({ callerobjectid: 'alex' }, outer)).toEqual({ callerobjectid: 'alex', authorization: 'Bearer outer' });
    expect(forwardedHeaders({ mscrmcallerid: 'riley' }, { authorization: 'Bearer outer', callerobjectid: 'sam' })).toEqual({
      mscrmcallerid: 'riley',
      authorization: 'Bearer outer',
    });
  });

  it("does not let a request's own Authorization replace the batch's", () => {
    expect(forwardedHeaders({ authorization: 'Bearer inner' }, outer).authorization).toBe('Bearer outer');
  });
});
