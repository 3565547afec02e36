import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A module loader hook for a spawned `node`: pass `nodeArgs` before the script, then `loaded()`
 * lists every module URL the program resolved, in order. Its files go in `directory`. dist/ is a
 * bundle: turn URLs into source paths with loadedSources() (loaded-sources.ts).
 */
export function moduleRecorder(directory: string): { nodeArgs: string[]; loaded: () => string[] } {
  mkdirSync(directory, { recursive: true });
  const log = join(directory, 'modules.log');
  writeFileSync(log, '');
  const hooks = join(directory, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`,
  );
  const register = join(directory, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`);
  return { nodeArgs: ['--import', pathToFileURL(register).href], loaded: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}
