import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';
import { parseJsonObject } from '../odata/payload.js';
import { jsonNodeKind } from './json-node.js';
import { requireMessageSupported, type WriteMessage } from './messages.js';

/**
 * The body every bulk message takes, `{"Targets":[…]}` (CreateMultiple, UpdateMultiple,
 * UpsertMultiple; https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations),
 * read and checked as the service does before any Target is looked at: the table supports the
 * message, no unknown parameter, Targets present and an array. Returns the Targets unchecked:
 * each message reads its own.
 */
export function readBulkTargets(ctx: RequestContext, table: TableDef, action: WriteMessage): readonly unknown[] {
  requireMessageSupported(table, action);
  const parameters = parseJsonObject(table.entitySetName, ctx.request.body);
  for (const name in parameters) {
    if (name !== 'Targets' && !name.startsWith('@')) throw errors.unknownActionParameter(table.entitySetName, name, action);
  }
  const targets: unknown = parameters.Targets;
  if (targets === undefined || targets === null) throw errors.missingActionParameter('Targets', action);
  if (!Array.isArray(targets)) throw errors.unexpectedJsonNode(table.entitySetName, jsonNodeKind(targets), 'StartArray');
  return targets;
}
