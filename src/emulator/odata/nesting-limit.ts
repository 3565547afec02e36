import { errors, type ODataError } from '../http/errors.js';

/**
 * ODataLib's limit on how deeply a query may nest: parentheses, `not`, function calls, a JSON
 * literal's arrays, and the expression tree a long and/or chain builds when it is bound. The
 * service answers 400 past it; the emulator's parser, binder and evaluator all recurse over that
 * depth, so without the limit a long enough URL (64 KB inside $batch) exhausts the stack.
 */
export const MAX_NESTING = 800;

export function nestingTooDeep(): ODataError {
  return errors.badQuery('Recursion depth exceeded allowed limit.');
}
