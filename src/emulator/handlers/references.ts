import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import type { NavigationDef, TableDef } from '../metadata/types.js';
import { parseEntityReference, type EntityReference } from '../odata/entity-reference.js';
import { parseJsonObject } from '../odata/payload.js';
import { existingRow } from '../store/existing-row.js';
import { isLookupValue, type Row } from '../store/types.js';
import { associate, associationPair, disassociate, type AssociationEnd } from '../write/associations.js';
import { WriteSession } from '../write/session.js';
import { updateFromPayload } from '../write/update-row.js';

/**
 * `…/<navigation>/$ref` (docs/dataverse-web-api.md §5.2; associate-disassociate-entities-using-web-api):
 * - N:N: `POST` with `{"@odata.id": url}` associates; `DELETE …/nav(<id>)/$ref` or
 *   `DELETE …/nav/$ref?$id=<url>` disassociates.
 * - 1:N (`accounts(…)/contact_customer_accounts`): the same, by setting or clearing the related
 *   row's lookup.
 * - N:1 (`contacts(…)/parentcustomerid_account`): `PUT` with `{"@odata.id": url}` sets the lookup,
 *   `DELETE` clears it.
 * Every answer is 204; rows that do not exist are 404 before any privilege check.
 */
export function handleReference(
  ctx: RequestContext,
  table: TableDef,
  id: string,
  navigation: NavigationDef,
  relatedId: string | undefined,
): EmulatorResponse {
  const session = new WriteSession(ctx);
  const self = existingEnd(ctx, table, id);
  const target = ctx.core.metadata.require(navigation.target);

  if (navigation.kind === 'single') {
    if (relatedId !== undefined) throw errors.resourceNotFoundForSegment(`${navigation.name}(${relatedId})`);
    if (ctx.method === 'PUT') setLookup(session, self, navigation, referenceFromBody(ctx, table, target));
    else if (ctx.method === 'DELETE') setLookup(session, self, navigation, null);
    else throw errors.methodNotAllowed(ctx.requestUri);
    return noContent();
  }

  if (ctx.method === 'POST' && relatedId === undefined) {
    const related = existingEnd(ctx, target, referenceFromBody(ctx, table, target).id);
    if (navigation.kind === 'manyToMany') associate(session, associationPair(navigation.relationship, self, related));
    else setLookup(session, related, referringNavigation(target, navigation, table), self);
    return noContent();
  }
  if (ctx.method === 'DELETE') {
    const related = existingEnd(ctx, target, relatedIdToRemove(ctx, table, target, relatedId));
    if (navigation.kind === 'manyToMany') disassociate(session, associationPair(navigation.relationship, self, related));
    else if (pointsAt(related.row, navigation.referencingAttribute, self)) {
      setLookup(session, related, referringNavigation(target, navigation, table), null);
    }
    return noContent();
  }
  throw errors.methodNotAllowed(ctx.requestUri);
}

function existingEnd(ctx: RequestContext, table: TableDef, id: string): AssociationEnd {
  return { table, id, row: existingRow(ctx.core.store, table, id) };
}

/** The `{"@odata.id": "<url>"}` body of a $ref request, naming a row of the navigation's table. */
function referenceFromBody(ctx: RequestContext, table: TableDef, target: TableDef): EntityReference {
  const url = parseJsonObject(table.entitySetName, ctx.request.body)['@odata.id'];
  if (typeof url !== 'string') {
    throw errors.invalidEntityReferenceLink(table.entitySetName, "An entity reference link needs an '@odata.id' property whose value is the URL of a row.");
  }
  return referenceTo(ctx, table, target, url);
}

/** The related row of a collection DELETE: in the URL (`nav(<id>)/$ref`) or in `$id`, not both. */
function relatedIdToRemove(ctx: RequestContext, table: TableDef, target: TableDef, relatedId: string | undefined): string {
  const idOption = ctx.query.get('$id');
  if (relatedId !== undefined && idOption !== undefined) {
    throw errors.badQuery('The $id query option cannot be used when the request URL already names the related row.');
  }
  if (relatedId !== undefined) return relatedId;
  if (idOption === undefined) {
    throw errors.badQuery('Removing a reference from a collection-valued navigation property needs the related row: use nav(<id>)/$ref or $id=<url>.');
  }
  return referenceTo(ctx, table, target, idOption).id;
}

function referenceTo(ctx: RequestContext, table: TableDef, target: TableDef, url: string): EntityReference {
  const reference = parseEntityReference(ctx, url);
  if (!reference || reference.table !== target) {
    throw errors.invalidEntityReferenceLink(table.entitySetName, `The URL '${url}' does not name a row of the entity set '${target.entitySetName}'.`);
  }
  return reference;
}

/** A 1:N navigation is written through the single-valued navigation on the other side that mirrors it. */
function referringNavigation(related: TableDef, navigation: Extract<NavigationDef, { kind: 'oneToMany' }>, table: TableDef): NavigationDef {
  for (const candidate of related.navigations.values()) {
    if (candidate.kind === 'single' && candidate.attribute === navigation.referencingAttribute && candidate.target === table.logicalName) {
      return candidate;
    }
  }
  throw errors.notSupported(`The emulator cannot change '${navigation.name}' through $ref: '${navigation.referencingAttribute}' is set by the platform.`);
}

function pointsAt(row: Row, attribute: string, end: AssociationEnd): boolean {
  const value = row[attribute];
  return isLookupValue(value) && value.id === end.id && value.table === end.table.logicalName;
}

/** Sets (or clears) a lookup as a PATCH with `nav@odata.bind` would: the same checks, audit and version. */
function setLookup(session: WriteSession, end: AssociationEnd, navigation: NavigationDef, to: EntityReference | AssociationEnd | null): void {
  if (navigation.kind !== 'single') throw new Error(`Internal: ${navigation.name} is not a single-valued navigation.`);
  const attribute = end.table.attributes.get(navigation.attribute);
  if (!attribute || attribute.readOnly) {
    throw errors.notSupported(`The emulator cannot change '${navigation.name}' through $ref: it is set by the platform.`);
  }
  const target = to && { table: to.table, id: to.id };
  updateFromPayload(session, end.table, end.row, { id: undefined, values: {}, binds: [{ attribute, property: navigation.name, target }] });
}
