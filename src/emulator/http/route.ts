import { batch } from '../handlers/batch.js';
import { createMultiple } from '../handlers/create-multiple.js';
import { updateMultiple } from '../handlers/update-multiple.js';
import { upsertMultiple } from '../handlers/upsert-multiple.js';
import { createRow } from '../handlers/create.js';
import { deleteRow } from '../handlers/delete.js';
import { entityDefinitions } from '../handlers/entity-definitions.js';
import { boundFunction } from '../handlers/functions.js';
import { countCollection, readCollection, readNavigation, readProperty, readRow } from '../handlers/read.js';
import { handleReference } from '../handlers/references.js';
import { serviceDocument } from '../handlers/service-document.js';
import { isUnboundOperation, unboundOperation } from '../handlers/unbound.js';
import { updateRow } from '../handlers/update.js';
import { whoAmI } from '../handlers/whoami.js';
import { existingRowId, resolveRowAddress } from '../odata/row-address.js';
import type { RequestContext } from './context.js';
import { errors } from './errors.js';
import type { PathSegment } from './resource-path.js';
import type { EmulatorResponse } from './types.js';

/**
 * Picks the handler for an authenticated request from its resource path and method. A path that
 * names nothing is answered as the service answers it (404 for an unknown segment, 405 for a
 * known resource with the wrong method).
 */
export function route(ctx: RequestContext, segments: PathSegment[]): EmulatorResponse {
  const [first, second, third] = segments;
  if (!first) return ctx.method === 'GET' ? serviceDocument(ctx) : notAllowed(ctx);
  if (first.name === 'WhoAmI' && (first.args === undefined || first.args === '') && !second) {
    // WhoAmI is a function: only GET reaches it; any other method finds no HTTP resource (docs/dataverse-web-api.md §2).
    if (ctx.method !== 'GET') throw errors.noHttpResource(ctx.requestUri);
    return whoAmI(ctx);
  }
  if (first.name === '$batch' && first.args === undefined && !second) {
    if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
    return batch(ctx);
  }
  if (first.name === 'EntityDefinitions') return entityDefinitions(ctx, segments);
  if (isUnboundOperation(first.name)) {
    if (second) throw errors.resourceNotFoundForSegment(second.raw);
    return unboundOperation(ctx, first.name, first.args);
  }

  const table = ctx.core.metadata.byEntitySetName(first.name);
  if (!table) throw errors.resourceNotFoundForSegment(first.raw);

  if (first.args === undefined) {
    if (!second) {
      if (ctx.method === 'GET') return readCollection(ctx, table);
      if (ctx.method === 'POST') return createRow(ctx, table);
      return notAllowed(ctx);
    }
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    if (second.name === '$count' && second.args === undefined) {
      if (ctx.method !== 'GET') return notAllowed(ctx);
      return countCollection(ctx, table);
    }
    if (second.name === 'Microsoft.Dynamics.CRM.CreateMultiple') {
      if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
      return createMultiple(ctx, table);
    }
    if (second.name === 'Microsoft.Dynamics.CRM.UpdateMultiple') {
      if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
      return updateMultiple(ctx, table);
    }
    if (second.name === 'Microsoft.Dynamics.CRM.UpsertMultiple') {
      if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
      return upsertMultiple(ctx, table);
    }
    throw errors.resourceNotFoundForSegment(second.raw);
  }

  const address = resolveRowAddress(ctx.core.store, table, first.args, first.raw);
  if (!second && ctx.method === 'PATCH') return updateRow(ctx, table, address);
  const id = existingRowId(table, address);
  if (!second) {
    if (ctx.method === 'GET') return readRow(ctx, table, id);
    if (ctx.method === 'DELETE') return deleteRow(ctx, table, id);
    return notAllowed(ctx);
  }
  if (second.name.startsWith('Microsoft.Dynamics.CRM.')) {
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    return boundFunction(ctx, table, id, second.name.slice('Microsoft.Dynamics.CRM.'.length), second.args);
  }
  const navigation = table.navigations.get(second.name);
  if (navigation) {
    if (third?.name === '$ref' && third.args === undefined && segments.length === 3) {
      const target = ctx.core.metadata.require(navigation.target);
      const relatedId = second.args === undefined ? undefined : existingRowId(target, resolveRowAddress(ctx.core.store, target, second.args, second.raw));
      return handleReference(ctx, table, id, navigation, relatedId);
    }
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    if (second.args !== undefined) throw errors.resourceNotFoundForSegment(second.raw);
    if (ctx.method !== 'GET') return notAllowed(ctx);
    return readNavigation(ctx, table, id, navigation);
  }
  const attribute = table.attributes.get(second.name);
  if (attribute && second.args === undefined && !third) {
    if (ctx.method !== 'GET') return notAllowed(ctx);
    return readProperty(ctx, table, id, attribute);
  }
  throw errors.resourceNotFoundForSegment(second.raw);
}

function notAllowed(ctx: RequestContext): EmulatorResponse {
  throw errors.methodNotAllowed(ctx.requestUri);
}
