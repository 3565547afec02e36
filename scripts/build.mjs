// npm run build: bundles dvas with esbuild into dist/ (the type check is `npm run typecheck`, tsc).
//
// Why a bundle: every `dvas` run starts a fresh Node process, and most of a short command's time
// used to go into resolving and loading ~150 separate modules (ours, commander's, chalk's,
// undici's). One file per entry, with the lazily imported parts (msal, undici, conf, ora, the
// emulator, each command's runner) split into chunks that load only when a command needs them,
// keeps `dvas --help` and `dvas profile list` free of msal and undici and makes `dvas whoami`
// with a cached token close to a bare `fetch` (bench/startup.bench.mjs measures it).
//
// dist/bundle-meta.json is esbuild's metafile: which source files each output holds. Tests use it
// to tell which modules a run loaded, now that they no longer load from node_modules one by one.
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
const result = await build({
  // The CLI, plus the two modules that benches and tests import from dist/ directly.
  entryPoints: ['src/cli.ts', 'src/emulator/index.ts', 'src/dataverse/create-client.ts'],
  outbase: 'src',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  metafile: true,
  // Bundled CommonJS dependencies (undici, commander…) call require() for Node's built-in modules;
  // an ES module has none, so each output gets a real one.
  banner: { js: "import { createRequire as __dvasCreateRequire } from 'node:module'; const require = __dvasCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
await writeFile('dist/bundle-meta.json', JSON.stringify(result.metafile));
