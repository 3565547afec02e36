// npm run build: bundles dvas with esbuild into dist/ (the type check is `npm run typecheck`, tsc).
//
// Why a bundle: every `dvas` run starts a fresh Node process, and most of a short command's time
// used to go into resolving and loading ~150 separate modules (ours, commander's, chalk's,
// undici's). One file per entry, with the lazily imported parts (msal, undici, conf, ora, the
// emulator, each command's runner) split into chunks that load only when a command needs them,
// keeps `dvas --help` and `dvas profile list` free of msal and undici and makes `dvas whoami`
// with a cached token close to a bare `fetch` (test/bench/startup.bench.mjs measures it).
//
// dist/bundle-meta.json is esbuild's metafile: which source files each output holds. Tests use it
// to tell which modules a run loaded, now that they no longer load from node_modules one by one.
import { build } from 'esbuild';
import { rename, rm, writeFile } from 'node:fs/promises';

// Built beside dist/ and swapped in whole: a dvas started while the build runs (tests spawn it in
// parallel) finds the old build or the new one, never half of one. Same parent directory, so the
// relative paths in the source maps stay right.
const building = `dist.building-${process.pid}`;
const retired = `dist.old-${process.pid}`;
let result;
try {
  result = await build({
    // The CLI, plus the two modules that benches and tests import from dist/ directly.
    entryPoints: ['src/cli.ts', 'src/emulator/index.ts', 'src/dataverse/create-client.ts'],
    outbase: 'src',
    outdir: building,
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
} catch (error) {
  await rm(building, { recursive: true, force: true });
  throw error;
}
// The metafile names outputs by where they were built; tests look them up under dist/.
const outputs = Object.fromEntries(Object.entries(result.metafile.outputs).map(([path, output]) => [path.replace(building, 'dist'), output]));
await writeFile(`${building}/bundle-meta.json`, JSON.stringify({ ...result.metafile, outputs }));
await rename('dist', retired).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(building, 'dist');
await rm(retired, { recursive: true, force: true });
