import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, GUID_PATTERN, GUID_SOURCE, isErrorCode } from '../../src/dataverse/facts.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** The CLI's source files (the emulator keeps its own copy of the facts on purpose), facts.ts aside. */
function cliSources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(SRC, 'emulator') ? [] : cliSources(path);
    return entry.name.endsWith('.ts') && path !== join(SRC, 'dataverse', 'facts.ts') ? [path] : [];
  });
}

/** Code only: comments may name a fact (0x80040220 PrivilegeDenied) without being a copy of it. */
function codeOf(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, ''))
    .join('\n');
}

describe('one table of Dataverse facts for the CLI', () => {
  it.each([
    ['an error code', /['"`]0x8[0-9a-f]{7}['"`]/i],
    ['the page or count limit', /\b5,?000\b/],
    ['an annotation name', /OData\.Community\.Display|Microsoft\.Dynamics\.CRM\.lookuplogicalname/],
    ['a GUID pattern', /\{12\}/],
    ['the public client id', /51f81489-12ee-4a9e-aaae-a2591f45987d/i],
    ['a depth name list', /'Basic',\s*'Local'/],
  ])('no file of src/ outside the emulator writes %s itself', (_fact, copy) => {
    const copies = cliSources()
      .filter((path) => copy.test(codeOf(path)))
      .map((path) => relative(SRC, path));
    expect(copies).toEqual([]);
  });

  it('imports nothing, so that --help may quote it without loading the client', () => {
    expect(readFileSync(join(SRC, 'dataverse', 'facts.ts'), 'utf8')).not.toMatch(/^\s*(import|export .* from)\b/m);
  });

  it('compares error codes whatever their letter case, as the service writes them', () => {
    expect(isErrorCode('0x8004A110', ErrorCode.CannotActOnBehalfOfAnotherUser)).toBe(true);
    expect(isErrorCode('0x80040220', ErrorCode.CannotActOnBehalfOfAnotherUser)).toBe(false);
    expect(isErrorCode(undefined, ErrorCode.PrivilegeDenied)).toBe(false);
    for (const code of Object.values(ErrorCode)) expect(code).toBe(code.toLowerCase());
  });

  it('a GUID is 8-4-4-4-12 hex digits in either case, whole', () => {
    expect(GUID_PATTERN.test('C0FFEE00-0000-4000-8000-00000000000a')).toBe(true);
    expect(GUID_PATTERN.test('{c0ffee00-0000-4000-8000-00000000000a}')).toBe(false);
    expect(GUID_PATTERN.test('c0ffee00-0000-4000-8000-00000000000')).toBe(false);
    expect(new RegExp(`\\((${GUID_SOURCE})\\)`).exec('accounts(c0ffee00-0000-4000-8000-00000000000a)')?.[1]).toBe('c0ffee00-0000-4000-8000-00000000000a');
  });
});
