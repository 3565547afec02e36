import { describe, expect, it } from 'vitest';
import { jwtExpiry, jwtSubjectName } from '../../src/auth/access-token.js';

const jwt = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('what dvas reads from an access token', () => {
  it('its expiry', () => {
    expect(jwtExpiry(jwt({ exp: 1_800_000_000 }))).toEqual(new Date(1_800_000_000_000));
    expect(jwtExpiry(jwt({ exp: '1800000000' }))).toBeUndefined();
  });

  it.each([
    [{ name: 'Devon Delegate', upn: 'devon@contoso.com' }, 'Devon Delegate'],
    [{ upn: 'devon@contoso.com' }, 'devon@contoso.com'],
    [{ name: ' ', preferred_username: 'devon@contoso.com' }, 'devon@contoso.com'],
    [{ unique_name: 'CONTOSO\\devon' }, 'CONTOSO\\devon'],
    [{ oid: 'x', appid: 'y', idtyp: 'app' }, undefined],
    [{ name: 5 }, undefined],
    [[], undefined],
  ])('who it names: %j is %j', (claims, name) => {
    expect(jwtSubjectName(jwt(claims))).toBe(name);
  });

  it('nothing from an opaque token', () => {
    expect(jwtSubjectName('opaque-token')).toBeUndefined();
    expect(jwtSubjectName('a.%%%.c')).toBeUndefined();
    expect(jwtExpiry('opaque-token')).toBeUndefined();
  });
});
