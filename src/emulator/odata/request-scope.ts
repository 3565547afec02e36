import type { RequestContext } from '../http/context.js';
import type { TableDef } from '../metadata/types.js';
import type { AccessScope } from '../security/model.js';
import type { FilterEnvironment } from './filter/compile.js';
import { relatedRowsReader } from './related.js';
import { annotationChoice, type SerializationContext } from './serialize.js';

/** What binding a $filter needs from the request: the data, its parameter aliases, who is asking, and when. */
export function filterEnvironment(ctx: RequestContext): FilterEnvironment {
  return {
    metadata: ctx.core.metadata,
    store: ctx.core.store,
    aliases: ctx.query,
    userId: ctx.principal.userId,
    businessUnitId: ctx.core.security.businessUnitOf(ctx.principal.user),
    now: ctx.core.clock.now(),
  };
}

/** What writing rows needs from the request; Read scopes are looked up once per table per request. */
export function serializationContext(ctx: RequestContext): SerializationContext {
  const scopes = new Map<TableDef, AccessScope | undefined>();
  return {
    store: ctx.core.store,
    metadata: ctx.core.metadata,
    serviceRoot: ctx.serviceRoot,
    annotations: annotationChoice(ctx.prefer),
    relatedRows: relatedRowsReader(ctx.core.store),
    readScope: (table) => {
      if (!scopes.has(table)) scopes.set(table, ctx.core.security.access(ctx.principal, 'Read', table));
      return scopes.get(table);
    },
  };
}

/** The `Preference-Applied` value echoing an include-annotations preference, when one was sent. */
export function appliedAnnotations(ctx: RequestContext): string | undefined {
  const annotations = ctx.prefer.includeAnnotations;
  return annotations.length > 0 ? `odata.include-annotations="${annotations.join(',')}"` : undefined;
}
