import type { SerializationContext } from '../odata/serialize.js';
import type { BoundQuery, Tuple } from './bind.js';
import { fetchErrors } from './fetch-errors.js';

export function aggregateRows(_bound: BoundQuery, _tuples: Tuple[], _context: SerializationContext): unknown[] {
  throw fetchErrors.notEmulated('aggregate queries');
}
