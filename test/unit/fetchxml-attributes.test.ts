import { describe, expect, it } from 'vitest';
import { fetchAttribute, fetchEntityName, isFetchXml, nextPagingCookie, withFetchAttributes } from '../../src/dataverse/fetchxml.js';

/** The root <fetch> attributes dvas reads and sets for paging, on the query text as written. */
describe('FetchXML attributes on the text', () => {
  it('reads the root element after a declaration and comments, with either quote', () => {
    const text = `\uFEFF<?xml version="1.0"?>\n<!-- a > b -->\n<fetch count='3' page="2" paging-cookie='a &gt; b &amp; "c"'><entity name='account'/></fetch>`;
    expect(isFetchXml(text)).toBe(true);
    expect(fetchAttribute(text, 'count')).toBe('3');
    expect(fetchAttribute(text, 'page')).toBe('2');
    expect(fetchAttribute(text, 'paging-cookie')).toBe('a > b & "c"');
    expect(fetchEntityName(text)).toBe('account');
  });

  it('sets attributes, keeping the rest of the text as it was', () => {
    const text = `<fetch count='3' top="1"><entity name='account'><!-- kept --></entity></fetch>`;
    const next = withFetchAttributes(text, { page: '2', 'paging-cookie': '<cookie page="1"/>' });
    expect(next).toBe(`<fetch count="3" top="1" page="2" paging-cookie="&lt;cookie page=&quot;1&quot;/&gt;"><entity name='account'><!-- kept --></entity></fetch>`);
    expect(fetchAttribute(next, 'paging-cookie')).toBe('<cookie page="1"/>');
    expect(withFetchAttributes(`<fetch/>`, { page: '1' })).toBe(`<fetch page="1"/>`);
  });

  it('is not FetchXML: another root, a name that only starts with fetch, a broken tag', () => {
    expect(isFetchXml(`<query/>`)).toBe(false);
    expect(isFetchXml(`<fetchxml/>`)).toBe(false);
    expect(isFetchXml(`<fetch count='3`)).toBe(false);
    expect(isFetchXml(`{"fetch": true}`)).toBe(false);
  });

  it('the next paging cookie is the annotation\'s pagingcookie, URL-decoded twice', () => {
    const annotation = '<cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e%253c%252fcookie%253e" istracking="False" />';
    expect(nextPagingCookie(annotation)).toBe('<cookie page="1"></cookie>');
    expect(nextPagingCookie(undefined)).toBeUndefined();
    expect(nextPagingCookie('<cookie />')).toBeUndefined();
  });
});
