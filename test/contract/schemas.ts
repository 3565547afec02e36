import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROOT } from '../helpers/build.js';

/** Where the output schemas live: schemas/<command>.schema.json, "profile list" as profile-list. */
export const SCHEMA_DIR = join(ROOT, 'schemas');
/** Shared pieces, not a command's output. */
export const SHARED_SCHEMAS = ['definitions.schema.json'];
/** A second output of a command, by file: `create` with many rows prints a summary, not a row. */
export const VARIANT_SCHEMAS: Readonly<Record<string, string>> = {
  'create-bulk.schema.json': 'create',
  'roles-privileges.schema.json': 'roles',
  'roles-effective.schema.json': 'roles',
};

/** The schema file of a command's -o json output (`profile list` → profile-list.schema.json). */
export function schemaFileOf(command: string): string {
  return `${command.split(' ').join('-')}.schema.json`;
}

export function schemaFiles(): string[] {
  return readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.schema.json')).sort();
}

/**
 * Every schema in schemas/, compiled by Ajv (JSON Schema draft 2020-12) in strict mode (union types such as ["string", "null"] allowed), so a typo in
 * a keyword is an error rather than a constraint silently not checked; formats (uuid, uri) checked.
 */
export function loadSchemas(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  // ajv-formats is CommonJS: its default export arrives as the module namespace's default.
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  for (const file of schemaFiles()) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
  return ajv;
}

/** The validator of `ref` (a schema file, optionally with a #/… pointer into it). */
export function validatorOf(ajv: Ajv2020, ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`No schema ${ref} in schemas/`);
  return validate;
}

/** The validation errors, one line each (empty when valid): what a failing test prints. */
export function problems(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
