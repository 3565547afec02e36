import { deterministicGuid, isGuid, normalizeGuid } from '../ids.js';
import type { Row } from '../store/types.js';
import { SeedError } from './seed-error.js';

/** The seed's id for something, or a GUID derived from its name, so that a seed loads the same every time. */
export function idOr(id: string | undefined, name: string, what: string): string {
  if (id === undefined) return deterministicGuid(name);
  if (!isGuid(id)) throw new SeedError(`The ${what} '${id}' is not a GUID.`);
  return normalizeGuid(id);
}

/** Audit columns, and the row version every real row has (its ETag: reads write `@odata.etag` from it). */
export function audit(at: string, version: number): Row {
  return {
    versionnumber: version,
    createdon: at,
    modifiedon: at,
    createdby: null,
    modifiedby: null,
    createdonbehalfby: null,
    modifiedonbehalfby: null,
  };
}
