import { isGuid, normalizeGuid } from '../ids.js';
import { isDepth } from '../security/depth.js';
import type { Store } from '../store/store.js';
import type { LookupValue } from '../store/types.js';
import { readApplicationCertificate } from './application-certificate.js';
import { SeedError } from './seed-error.js';
import { audit, idOr } from './seed-values.js';
import type { SeedDocument, SeedUser } from './types.js';

export interface ApplicationRegistration {
  userId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM text (the seed may name a file; the loader reads it). */
  certificate?: string;
  federatedSubjects: string[];
}

/** A user or a team, as rows own them and shares name them. */
export interface PrincipalReference {
  table: 'systemuser' | 'team';
  id: string;
}

/** Who is in the organisation once its principals are loaded, for the rows and shares that name them. */
export interface LoadedPrincipals {
  rootBusinessUnitId: string;
  applications: ApplicationRegistration[];
  /** The owner the seed's rows get when they name none: the first application user, else the first user. */
  defaultOwner: LookupValue | undefined;
  /** A user (by email) or a team (by name), for `$owner` and shares; throws a SeedError naming `context`. */
  principal(name: string, context: string): PrincipalReference;
}

interface PrincipalOptions {
  organizationName: string;
  privilegeIds: ReadonlyMap<string, string>;
  stamp(): string;
  /** Where relative certificate paths are resolved. */
  baseDir: string;
}

/** Business units, roles with their privileges, users (application users included) and teams. */
export function loadPrincipals(store: Store, seed: SeedDocument, options: PrincipalOptions): LoadedPrincipals {
  const { organizationName, privilegeIds, stamp } = options;
  // Business units: exactly one root, parents named before use or anywhere in the list.
  const units = seed.businessUnits?.length ? seed.businessUnits : [{ name: organizationName }];
  const unitIds = new Map<string, string>();
  for (const unit of units) {
    if (!unit.name) throw new SeedError('Every business unit needs a name.');
    if (unitIds.has(unit.name)) throw new SeedError(`Business unit '${unit.name}' is declared twice.`);
    unitIds.set(unit.name, idOr(unit.id, `businessunit:${unit.name}`, `id of business unit '${unit.name}'`));
  }
  const roots = units.filter((unit) => !unit.parent);
  if (roots.length !== 1) throw new SeedError(`The seed must have exactly one root business unit (one without a parent); it has ${roots.length}.`);
  const rootBusinessUnitId = unitIds.get((roots[0] as { name: string }).name) as string;
  const unitRef = (name: string | undefined, context: string): LookupValue => {
    if (name === undefined) return { table: 'businessunit', id: rootBusinessUnitId };
    const id = unitIds.get(name);
    if (!id) throw new SeedError(`${context} names business unit '${name}', which the seed does not declare.`);
    return { table: 'businessunit', id };
  };
  for (const unit of units) {
    const id = unitIds.get(unit.name) as string;
    const parent = unit.parent ? unitRef(unit.parent, `Business unit '${unit.name}'`) : null;
    if (parent?.id === id) throw new SeedError(`Business unit '${unit.name}' cannot be its own parent.`);
    store.insert('businessunit', id, {
      businessunitid: id,
      name: unit.name,
      parentbusinessunitid: parent,
      isdisabled: false,
      owningbusinessunit: { table: 'businessunit', id },
      ...audit(stamp(), store.nextVersion()),
    });
  }

  // Roles with their privileges at a depth.
  const roleIds = new Map<string, string>();
  for (const role of seed.roles ?? []) {
    if (!role.name) throw new SeedError('Every role needs a name.');
    if (roleIds.has(role.name)) throw new SeedError(`Role '${role.name}' is declared twice.`);
    const id = idOr(role.id, `role:${role.name}`, `id of role '${role.name}'`);
    roleIds.set(role.name, id);
    const businessUnit = unitRef(role.businessUnit, `Role '${role.name}'`);
    store.insert('role', id, {
      roleid: id,
      name: role.name,
      businessunitid: businessUnit,
      owningbusinessunit: businessUnit,
      ismanaged: false,
      ...audit(stamp(), store.nextVersion()),
    });
    for (const [privilege, depth] of Object.entries(role.privileges ?? {})) {
      const privilegeId = privilegeIds.get(privilege);
      if (!privilegeId) throw new SeedError(`Role '${role.name}' names privilege '${privilege}', which does not exist.`);
      if (!isDepth(depth)) {
        throw new SeedError(`Role '${role.name}' gives '${privilege}' the depth '${String(depth)}'; use Basic, Local, Deep or Global.`);
      }
      store.associate('roleprivileges_association', id, privilegeId, depth);
    }
  }
  const roleRef = (name: string, context: string): string => {
    const id = roleIds.get(name);
    if (!id) throw new SeedError(`${context} names role '${name}', which the seed does not declare.`);
    return id;
  };

  // Users (application users included).
  const userIds = new Map<string, string>();
  const applications: ApplicationRegistration[] = [];
  for (const user of seed.users ?? []) {
    const id = loadUser(store, user, userIds, unitRef, stamp);
    for (const role of user.roles ?? []) store.associate('systemuserroles_association', id, roleRef(role, `User '${user.email}'`));
    if (user.application) {
      if (!isGuid(user.application.clientId)) {
        throw new SeedError(`Application user '${user.email}' needs a GUID clientId.`);
      }
      applications.push({
        userId: id,
        clientId: normalizeGuid(user.application.clientId),
        ...(user.application.clientSecret !== undefined ? { clientSecret: user.application.clientSecret } : {}),
        ...(user.application.certificate !== undefined
          ? { certificate: applicationCertificate(user.application.certificate, options.baseDir, user.email) }
          : {}),
        federatedSubjects: user.application.federatedSubjects ?? [],
      });
    }
  }
  const userRef = (email: string, context: string): string => {
    const id = userIds.get(email.toLowerCase());
    if (!id) throw new SeedError(`${context} names user '${email}', which the seed does not declare.`);
    return id;
  };

  // Teams, their members and roles.
  const teamIds = new Map<string, string>();
  for (const team of seed.teams ?? []) {
    if (!team.name) throw new SeedError('Every team needs a name.');
    if (teamIds.has(team.name)) throw new SeedError(`Team '${team.name}' is declared twice.`);
    const id = idOr(team.id, `team:${team.name}`, `id of team '${team.name}'`);
    teamIds.set(team.name, id);
    const businessUnit = unitRef(team.businessUnit, `Team '${team.name}'`);
    store.insert('team', id, {
      teamid: id,
      name: team.name,
      teamtype: team.teamType ?? 0,
      isdefault: false,
      azureactivedirectoryobjectid: null,
      businessunitid: businessUnit,
      owningbusinessunit: businessUnit,
      ...audit(stamp(), store.nextVersion()),
    });
    for (const member of team.members ?? []) store.associate('teammembership_association', userRef(member, `Team '${team.name}'`), id);
    for (const role of team.roles ?? []) store.associate('teamroles_association', id, roleRef(role, `Team '${team.name}'`));
  }

  const defaultOwnerId = applications[0]?.userId ?? userIds.values().next().value;
  return {
    rootBusinessUnitId,
    applications,
    defaultOwner: defaultOwnerId ? { table: 'systemuser', id: defaultOwnerId } : undefined,
    principal: (name, context) => {
      const team = teamIds.get(name);
      return team ? { table: 'team', id: team } : { table: 'systemuser', id: userRef(name, context) };
    },
  };
}

function loadUser(
  store: Store,
  user: SeedUser,
  userIds: Map<string, string>,
  unitRef: (name: string | undefined, context: string) => LookupValue,
  stamp: () => string,
): string {
  if (!user.email || !user.fullname) throw new SeedError('Every user needs a fullname and an email.');
  const email = user.email.toLowerCase();
  if (userIds.has(email)) throw new SeedError(`User '${user.email}' is declared twice.`);
  const id = idOr(user.id, `systemuser:${email}`, `id of user '${user.email}'`);
  userIds.set(email, id);
  const objectId =
    user.objectId === null ? null : idOr(user.objectId, `entra-object:${email}`, `objectId of user '${user.email}'`);
  const businessUnit = unitRef(user.businessUnit, `User '${user.email}'`);
  const [firstname, ...rest] = user.fullname.split(' ');
  store.insert('systemuser', id, {
    systemuserid: id,
    fullname: user.fullname,
    firstname: firstname ?? '',
    lastname: rest.join(' '),
    internalemailaddress: user.email,
    domainname: user.domainname ?? user.email,
    title: user.title ?? null,
    azureactivedirectoryobjectid: objectId,
    applicationid: user.application ? normalizeGuid(user.application.clientId) : null,
    isdisabled: user.disabled === true,
    islicensed: !user.application,
    accessmode: user.accessMode ?? (user.application ? 4 : 0),
    businessunitid: businessUnit,
    owningbusinessunit: businessUnit,
    ...audit(stamp(), store.nextVersion()),
  });
  return id;
}

function applicationCertificate(value: unknown, baseDir: string, email: string): string {
  if (typeof value !== 'string') throw new SeedError(`Application user '${email}': certificate must be inline PEM text or a file path.`);
  const read = readApplicationCertificate(value, baseDir);
  if ('problem' in read) throw new SeedError(`Application user '${email}': ${read.problem}.`);
  return read.pem;
}
