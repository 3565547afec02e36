import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * Every impersonation rule of issue #2 (docs/dataverse-web-api.md §1 and docs/emulator-decisions.md), over real
 * HTTP: the two headers, Delegate held directly vs through a team, intersection of privileges
 * and of depths, disabled / self / unknown targets, on-premises users, the audit fields, and the
 * PrivilegeDenied principal quirk.
 */
const emulator = useEmulator();

const asObjectId = (email: string) => ({ CallerObjectId: user(emulator(), email).azureactivedirectoryobjectid as string });
const asUserId = (email: string) => ({ MSCRMCallerID: user(emulator(), email).systemuserid });

function businessUnitOf(instance: RunningEmulator, email: string): string {
  const row = instance.core.store.get('systemuser', user(instance, email).systemuserid);
  return (row && instance.core.security.businessUnitOf(row)) as string;
}

function accountId(name: string): string {
  for (const row of emulator().core.store.rows('account').values()) if (row.name === name) return String(row.accountid);
  throw new Error(`no account ${name}`);
}

const CANNOT_ACT_ON_BEHALF = {
  error: { code: '0x8004A110', message: 'User does not have the privilege to act on behalf another user.' },
};

describe('the impersonation headers', () => {
  it('CallerObjectId names the user by Entra object id; WhoAmI answers as that user', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: asObjectId(DEMO.sam) });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(emulator(), DEMO.sam).systemuserid);
    expect(response.json.BusinessUnitId).toBe(businessUnitOf(emulator(), DEMO.sam));
    expect(response.json.OrganizationId).toBe(emulator().organizationId);
  });

  it('MSCRMCallerID names the user by systemuserid', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: asUserId(DEMO.sam) });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(emulator(), DEMO.sam).systemuserid);
    expect(response.json.BusinessUnitId).toBe(businessUnitOf(emulator(), DEMO.sam));
  });

  it('CallerObjectId wins when both headers are sent', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: { ...asObjectId(DEMO.sam), ...asUserId(DEMO.riley) } });
    expect(response.json.UserId).toBe(user(emulator(), DEMO.sam).systemuserid);
  });

  it('header names are case-insensitive, as HTTP header names are', async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: { callerobjectid: sam.azureactivedirectoryobjectid as string } });
    expect(response.json.UserId).toBe(sam.systemuserid);
  });

  it('an on-premises user without an Entra object id is impersonated through MSCRMCallerID', async () => {
    const owen = user(emulator(), DEMO.owen);
    expect(owen.azureactivedirectoryobjectid).toBeNull();
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: asUserId(DEMO.owen) });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(owen.systemuserid);
  });

  it.each([
    ['CallerObjectId', 'not-a-guid'],
    ['MSCRMCallerID', '12345'],
    ['CallerObjectId', '{00000000-0000-0000-0000-000000000001'],
  ])('a malformed %s value (%s) is a 400', async (header, value) => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: { [header]: value } });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80040203');
    expect(response.json.error.message).toContain(header);
  });
});

describe('who may impersonate', () => {
  it('the demo application user holds Delegate directly and may impersonate', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.app, headers: asObjectId(DEMO.riley) });
    expect(response.json.UserId).toBe(user(emulator(), DEMO.riley).systemuserid);
  });

  it('Alex Admin (System Administrator, assigned directly) may impersonate', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.admin, headers: asUserId(DEMO.sam) });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(emulator(), DEMO.sam).systemuserid);
  });

  it('Devon Delegate holds Delegate only through a team: 403 0x8004A110 with the exact body', async () => {
    for (const headers of [asObjectId(DEMO.sam), asUserId(DEMO.sam)]) {
      const response = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.devon, headers });
      expect(response.status).toBe(403);
      expect(response.json).toEqual(CANNOT_ACT_ON_BEHALF);
    }
  });

  it('a user without the privilege at all (Sam) gets the same 403', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam, headers: asObjectId(DEMO.riley) });
    expect(response.status).toBe(403);
    expect(response.json).toEqual(CANNOT_ACT_ON_BEHALF);
  });

  it('without impersonation headers Devon works as itself', async () => {
    const response = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.devon });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(emulator(), DEMO.devon).systemuserid);
  });
});

describe('impersonation targets', () => {
  it('a disabled user (Dana) cannot be impersonated: 403 0x80040225', async () => {
    const dana = user(emulator(), DEMO.dana);
    for (const headers of [asObjectId(DEMO.dana), asUserId(DEMO.dana)]) {
      const response = await api(emulator(), 'GET', 'WhoAmI', { headers });
      expect(response.status).toBe(403);
      expect(response.json.error.code).toBe('0x80040225');
      expect(response.json.error.message).toMatch(
        new RegExp(`^The specified user\\(Id = ${dana.systemuserid}\\) is disabled\\. Consider enabling this user\\. Additional Details: `),
      );
    }
  });

  it('a target equal to the caller means no impersonation (even for a caller that may not impersonate)', async () => {
    for (const who of [DEMO.app, DEMO.devon]) {
      for (const headers of [asObjectId(who), asUserId(who)]) {
        const response = await api(emulator(), 'GET', 'WhoAmI', { as: who, headers });
        expect(response.status).toBe(200);
        expect(response.json.UserId).toBe(user(emulator(), who).systemuserid);
      }
    }
  });

  it('a target equal to the caller leaves createdonbehalfby null on a create', async () => {
    const response = await api(emulator(), 'POST', 'accounts', {
      headers: { ...asObjectId(DEMO.app), Prefer: 'return=representation' },
      body: { name: 'Self-impersonated Ltd' },
    });
    expect(response.status).toBe(201);
    const app = user(emulator(), DEMO.app);
    expect(response.json._createdby_value).toBe(app.systemuserid);
    expect(response.json._createdonbehalfby_value).toBeNull();
  });

  it.each(['CallerObjectId', 'MSCRMCallerID'])('an unknown %s target is 404 0x80040217 by default', async (header) => {
    const unknown = '0badc0de-0000-4000-8000-000000000001';
    const response = await api(emulator(), 'GET', 'WhoAmI', { headers: { [header]: unknown } });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: '0x80040217', message: `Entity 'systemuser' With Id = ${unknown} Does Not Exist` } });
  });
});

describe('an emulator started with unknownCaller: ignore', () => {
  const lenient = useEmulator({ unknownCaller: 'ignore' });

  it.each(['CallerObjectId', 'MSCRMCallerID'])('silently runs a call with an unknown %s as the caller', async (header) => {
    const response = await api(lenient(), 'GET', 'WhoAmI', { headers: { [header]: '0badc0de-0000-4000-8000-000000000002' } });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(lenient(), DEMO.app).systemuserid);
  });

  it('and the row it creates has no createdonbehalfby', async () => {
    const response = await api(lenient(), 'POST', 'accounts', {
      headers: { CallerObjectId: '0badc0de-0000-4000-8000-000000000003', Prefer: 'return=representation' },
      body: { name: 'Ignored header Inc.' },
    });
    expect(response.status).toBe(201);
    expect(response.json._createdby_value).toBe(user(lenient(), DEMO.app).systemuserid);
    expect(response.json._createdonbehalfby_value).toBeNull();
  });

  it('still refuses a caller without Delegate and a disabled target', async () => {
    expect((await api(lenient(), 'GET', 'WhoAmI', { as: DEMO.devon, headers: { MSCRMCallerID: user(lenient(), DEMO.sam).systemuserid } })).status).toBe(403);
    expect((await api(lenient(), 'GET', 'WhoAmI', { headers: { MSCRMCallerID: user(lenient(), DEMO.dana).systemuserid } })).status).toBe(403);
  });
});

describe('intersection of privileges', () => {
  it('the app impersonating Riley Reader cannot create an account; the message names Riley', async () => {
    const riley = user(emulator(), DEMO.riley);
    const response = await api(emulator(), 'POST', 'accounts', { headers: asObjectId(DEMO.riley), body: { name: 'Not allowed' } });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toMatch(
      new RegExp(`^Principal user \\(Id=${riley.systemuserid}, type=8, .*AADObjectId='${riley.azureactivedirectoryobjectid}'.*\\), is missing prvCreateAccount privilege \\(Id=[0-9a-f-]{36}\\) on OTC=1 for entity 'account' \\(LocalizedName='Account'\\)\\. context\\.Caller=${riley.systemuserid}\\. Consider adding missed privilege to one of the principal \\(user/team\\) roles\\.$`),
    );
  });

  it('the app impersonating Alex cannot delete an account (the app lacks prvDeleteAccount), yet the message names Alex', async () => {
    const alex = user(emulator(), DEMO.admin);
    const target = accountId('Coho Winery');
    const response = await api(emulator(), 'DELETE', `accounts(${target})`, { headers: asObjectId(DEMO.admin) });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain(`Principal user (Id=${alex.systemuserid}, type=8,`);
    expect(response.json.error.message).toContain('is missing prvDeleteAccount privilege');
    // Alex alone may delete; the row is still there after the refused call.
    const still = await api(emulator(), 'GET', `accounts(${target})?$select=name`, { as: DEMO.admin });
    expect(still.status).toBe(200);
  });

  it('the same delete by the app on its own is refused too, naming the app: it is the app that lacks the privilege', async () => {
    const app = user(emulator(), DEMO.app);
    const response = await api(emulator(), 'DELETE', `accounts(${accountId('Coho Winery')})`);
    expect(response.status).toBe(403);
    expect(response.json.error.message).toContain(`Principal user (Id=${app.systemuserid}, type=8,`);
  });
});

describe('intersection of depths', () => {
  // Sam's business unit's accounts, and the one Alex shares with him.
  const SALES_ACCOUNTS = ['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.'];

  it('the app (Global read) impersonating Sam (Local read) sees only Contoso Sales accounts and his share', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name&$orderby=name', { headers: asObjectId(DEMO.sam) });
    expect(response.status).toBe(200);
    expect(response.json.value.map((row: { name: string }) => row.name)).toEqual(SALES_ACCOUNTS);
  });

  it('the app alone sees every account', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name');
    expect(response.json.value.length).toBeGreaterThan(SALES_ACCOUNTS.length);
  });

  it("Sam's Basic write: the app as Sam may update Sam's own account", async () => {
    const response = await api(emulator(), 'PATCH', `accounts(${accountId('Litware, Inc.')})`, {
      headers: asUserId(DEMO.sam),
      body: { telephone1: '555-0100' },
    });
    expect(response.status).toBe(204);
  });

  it("but not another user's account in the same business unit", async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await api(emulator(), 'PATCH', `accounts(${accountId('Fabrikam, Inc.')})`, {
      headers: asUserId(DEMO.sam),
      body: { telephone1: '555-0101' },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain(`Principal user (Id=${sam.systemuserid},`);
    expect(response.json.error.message).toContain('is missing prvWriteAccount privilege');
  });

  it('a single row outside the intersected read depth is 403', async () => {
    const response = await api(emulator(), 'GET', `accounts(${accountId('Fourth Coffee')})`, { headers: asObjectId(DEMO.sam) });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
  });
});

describe('audit fields under impersonation', () => {
  it('a create as Sam: createdby and ownerid are Sam, createdonbehalfby the app', async () => {
    const sam = user(emulator(), DEMO.sam);
    const app = user(emulator(), DEMO.app);
    const created = await api(emulator(), 'POST', 'accounts', { headers: asObjectId(DEMO.sam), body: { name: 'Made for Sam' } });
    expect(created.status).toBe(204);
    const entityId = created.headers.get('odata-entityid') as string;
    const id = entityId.slice(entityId.lastIndexOf('(') + 1, entityId.lastIndexOf(')'));
    const read = await api(
      emulator(),
      'GET',
      `accounts(${id})?$select=name&$expand=createdby($select=fullname),createdonbehalfby($select=fullname),owninguser($select=fullname)`,
    );
    expect(read.status).toBe(200);
    expect(read.json.createdby.fullname).toBe('Sam Sales');
    expect(read.json.createdonbehalfby.fullname).toBe('dvas demo app');
    expect(read.json.owninguser.fullname).toBe('Sam Sales');
    const plain = await api(emulator(), 'GET', `accounts(${id})`);
    expect(plain.json._createdby_value).toBe(sam.systemuserid);
    expect(plain.json._ownerid_value).toBe(sam.systemuserid);
    expect(plain.json._createdonbehalfby_value).toBe(app.systemuserid);
    expect(plain.json._modifiedonbehalfby_value).toBe(app.systemuserid);
  });

  it('an update as Sam: modifiedby is Sam, modifiedonbehalfby the app; without impersonation it is null again', async () => {
    const sam = user(emulator(), DEMO.sam);
    const app = user(emulator(), DEMO.app);
    const id = accountId('Adventure Works');
    expect((await api(emulator(), 'PATCH', `accounts(${id})`, { headers: asUserId(DEMO.sam), body: { telephone1: '555-0102' } })).status).toBe(204);
    const after = await api(emulator(), 'GET', `accounts(${id})?$select=telephone1,_modifiedby_value,_modifiedonbehalfby_value`);
    expect(after.json._modifiedby_value).toBe(sam.systemuserid);
    expect(after.json._modifiedonbehalfby_value).toBe(app.systemuserid);
    expect((await api(emulator(), 'PATCH', `accounts(${id})`, { body: { telephone1: '555-0103' } })).status).toBe(204);
    const plain = await api(emulator(), 'GET', `accounts(${id})?$select=_modifiedby_value,_modifiedonbehalfby_value`);
    expect(plain.json._modifiedby_value).toBe(app.systemuserid);
    expect(plain.json._modifiedonbehalfby_value).toBeNull();
  });
});
