import { describe, expect, it } from 'vitest';
import { parseCannotActOnBehalf, parsePrivilegeDenied, privilegeParts } from '../../src/access/denial-message.js';

/** Every wording of the privilege-denied messages in docs/dataverse-errors.md, as the service sent it. */
const USER = '6f3a1b2c-0d4e-4f50-8a61-7b8c9d0e1f2a';
const CALLER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TEAM = 'aa11bb22-cc33-4d44-8e55-ff6677889900';
const PRIVILEGE_ID = 'a4986ba0-6c85-40a9-bb00-fd6000ac0f55';
const OBJECT_ID = 'e39c5d16-675b-48d1-8e67-667427e9c084';
const UNIT = '11111111-2222-4333-8444-555555555555';

const CURRENT =
  `Principal user (Id=${USER}, type=8, roleCount=8, privilegeCount=420, accessMode='0 Read-Write', AADObjectId='${OBJECT_ID}', ` +
  `MetadataCachePrivilegesCount=12471, businessUnitId=${UNIT}), is missing prvReadOfficeDocument privilege (Id=${PRIVILEGE_ID}) ` +
  `on OTC=4490 for entity 'officedocument' (LocalizedName='Office Document'). context.Caller=${CALLER}. ` +
  'Consider adding missed privilege to one of the principal (user/team) roles.';

describe('parsePrivilegeDenied', () => {
  it('template 1 (to 2015): a user', () => {
    expect(parsePrivilegeDenied(`Principal user (Id=${USER}, type=8) is missing prvReadAccount privilege`)).toEqual({
      template: 'principal-short',
      principal: { kind: 'user', id: USER, typeCode: 8 },
      privilege: 'prvReadAccount',
      ownerCheck: false,
    });
  });

  it('template 1: a team', () => {
    expect(parsePrivilegeDenied(`Principal team (Id=${TEAM.toUpperCase()}, type=9) is missing prvReadAccount privilege`)).toEqual({
      template: 'principal-short',
      principal: { kind: 'team', id: TEAM, typeCode: 9 },
      privilege: 'prvReadAccount',
      ownerCheck: false,
    });
  });

  it('template 2 (the Customer Service documentation), with its space after Id= and an unquoted accessMode', () => {
    const text =
      `Principal user (Id= ${USER}, type=8, roleCount=5, privilegeCount=465, accessMode=0), is missing prvReadincident privilege ` +
      `(Id=${PRIVILEGE_ID}) on OTC=112 for entity 'incident'. context.Caller=${CALLER}`;
    expect(parsePrivilegeDenied(text)).toEqual({
      template: 'principal-detailed',
      principal: { kind: 'user', id: USER, typeCode: 8 },
      privilege: 'prvReadincident',
      privilegeId: PRIVILEGE_ID,
      objectTypeCode: 112,
      entity: 'incident',
      callerId: CALLER,
      roleCount: 5,
      privilegeCount: 465,
      accessMode: '0',
      ownerCheck: false,
    });
  });

  it('template 3 (current), every field', () => {
    expect(parsePrivilegeDenied(CURRENT)).toEqual({
      template: 'principal-current',
      principal: { kind: 'user', id: USER, typeCode: 8 },
      privilege: 'prvReadOfficeDocument',
      privilegeId: PRIVILEGE_ID,
      objectTypeCode: 4490,
      entity: 'officedocument',
      localizedName: 'Office Document',
      callerId: CALLER,
      roleCount: 8,
      privilegeCount: 420,
      accessMode: '0 Read-Write',
      aadObjectId: OBJECT_ID,
      businessUnitId: UNIT,
      ownerCheck: false,
    });
  });

  it('template 3 behind the owner check prefix (the Sales documentation), a privilege name with underscores', () => {
    const text =
      `Read Privilege Check For Owner failed with exception: Principal user (Id=${USER}, type=8, roleCount=1, privilegeCount=40, ` +
      `accessMode='0 Read-Write', AADObjectId='${OBJECT_ID}', MetadataCachePrivilegesCount=10681, businessUnitId=${UNIT}), ` +
      `is missing prvReadmsdyn_sequencetarget privilege (Id=${PRIVILEGE_ID}) on OTC=10848 for entity 'msdyn_sequencetarget' ` +
      `(LocalizedName='Sequence Target'). context.Caller=${CALLER}. Consider adding missed privilege to one of the principal (user/team) roles.`;
    expect(parsePrivilegeDenied(text)).toMatchObject({
      template: 'principal-current',
      privilege: 'prvReadmsdyn_sequencetarget',
      entity: 'msdyn_sequencetarget',
      localizedName: 'Sequence Target',
      ownerCheck: true,
      callerId: CALLER,
    });
  });

  it('template 3 with an application user\'s access mode and a display name holding an apostrophe', () => {
    const text = CURRENT.replace("'0 Read-Write'", "'4 Non-interactive'").replace("LocalizedName='Office Document'", "LocalizedName='Owner's Document'");
    expect(parsePrivilegeDenied(text)).toMatchObject({ accessMode: '4 Non-interactive', localizedName: "Owner's Document", callerId: CALLER });
  });

  it('the error-code list template names nobody', () => {
    expect(parsePrivilegeDenied('The user does not hold the necessary privileges.')).toEqual({ template: 'generic', ownerCheck: false });
  });

  it('anything else is not a privilege-denied message', () => {
    expect(parsePrivilegeDenied('Access is denied.')).toBeUndefined();
    expect(parsePrivilegeDenied('')).toBeUndefined();
  });
});

describe('parseCannotActOnBehalf', () => {
  it('the error-code list template', () => {
    expect(parseCannotActOnBehalf('User does not have the privilege to act on behalf another user.')).toEqual({ template: 'list' });
  });

  it('the captured template, placeholders unfilled', () => {
    expect(parseCannotActOnBehalf('User {0} does not have the privilege to act on behalf of user {1}.')).toEqual({ template: 'named' });
  });

  it('the same template filled', () => {
    expect(parseCannotActOnBehalf(`User ${CALLER} does not have the privilege to act on behalf of user ${USER}.`)).toEqual({ template: 'named', actor: CALLER, target: USER });
  });

  it('anything else', () => {
    expect(parseCannotActOnBehalf('The user is not a member of the organization.')).toBeUndefined();
  });
});

describe('privilegeParts', () => {
  it('splits verb and table, AppendTo before Append', () => {
    expect(privilegeParts('prvAppendToAccount')).toEqual({ verb: 'appendto', table: 'Account' });
    expect(privilegeParts('prvAppendContact')).toEqual({ verb: 'append', table: 'Contact' });
    expect(privilegeParts('prvReadincident')).toEqual({ verb: 'read', table: 'incident' });
    expect(privilegeParts('prvWritemsdyn_flow_approval')).toEqual({ verb: 'write', table: 'msdyn_flow_approval' });
  });

  it('is undefined for a privilege that is no table\'s', () => {
    expect(privilegeParts('prvActOnBehalfOfAnotherUser')).toBeUndefined();
  });
});
