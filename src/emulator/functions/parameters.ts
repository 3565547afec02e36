import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { parseArguments } from '../http/resource-path.js';
import { isGuid } from '../ids.js';
import { parseLiteral, type Literal } from './literals.js';

/** The EDM types of the privilege functions' parameters (Microsoft's function reference pages). */
export type ParameterType = 'Edm.String' | 'Edm.Guid' | 'Edm.Boolean' | 'Collection(Edm.String)' | 'Collection(Edm.Guid)' | 'crmbaseentity';

export interface ParameterSpec {
  name: string;
  type: ParameterType;
  required: boolean;
}

/** What a parsed parameter holds, by its declared type. */
export interface EntityReferenceLiteral {
  /** The `@odata.id` as sent: `accounts(<guid>)`, `/accounts(<guid>)` or an absolute URL. */
  odataId: string;
}
export type ParameterValue = string | boolean | string[] | EntityReferenceLiteral;

/**
 * Reads a function's `Name=value,…` arguments (values inline or through `@p1` aliases from the
 * query string) against its declared parameters. A parameter the function does not declare, a
 * required one left out, or a value of the wrong type is a 400 (code 0x0, as the service's OData
 * layer answers malformed requests).
 */
export function readParameters(
  ctx: RequestContext,
  functionName: string,
  args: string | undefined,
  specs: readonly ParameterSpec[],
): Map<string, ParameterValue> {
  const raw = parseArguments(args ?? '', ctx.query);
  const values = new Map<string, ParameterValue>();
  for (const [name, text] of raw) {
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) {
      throw errors.badQuery(
        name === ''
          ? `The function '${functionName}' takes named parameters (Name=value).`
          : `The function '${functionName}' has no parameter named '${name}'.`,
      );
    }
    const value = convert(parseLiteral(text), spec, functionName);
    if (value !== undefined) values.set(name, value);
  }
  for (const spec of specs) {
    if (spec.required && !values.has(spec.name)) {
      throw errors.badQuery(`The parameter '${spec.name}' of function '${functionName}' was not given a value.`);
    }
  }
  return values;
}

function convert(literal: Literal, spec: ParameterSpec, functionName: string): ParameterValue | undefined {
  const wrongType = () =>
    errors.badQuery(`The value of parameter '${spec.name}' of function '${functionName}' is not a valid ${spec.type}.`);
  if (literal === null) {
    if (spec.required) throw wrongType();
    return undefined;
  }
  switch (spec.type) {
    case 'Edm.String':
      if (typeof literal !== 'string') throw wrongType();
      return literal;
    case 'Edm.Guid':
      if (!isGuid(literal)) throw wrongType();
      return literal.toLowerCase();
    case 'Edm.Boolean':
      if (typeof literal !== 'boolean') throw wrongType();
      return literal;
    case 'Collection(Edm.String)':
      if (!Array.isArray(literal) || !literal.every((item): item is string => typeof item === 'string')) throw wrongType();
      return literal;
    case 'Collection(Edm.Guid)':
      if (!Array.isArray(literal) || !literal.every((item): item is string => isGuid(item))) throw wrongType();
      return literal.map((item) => item.toLowerCase());
    case 'crmbaseentity': {
      if (typeof literal !== 'object' || Array.isArray(literal)) throw wrongType();
      const odataId = literal['@odata.id'];
      if (typeof odataId !== 'string') {
        throw errors.badQuery(`The parameter '${spec.name}' of function '${functionName}' needs an '@odata.id' naming a record.`);
      }
      return { odataId };
    }
  }
}
