#!/usr/bin/env node
// Starts the built CLI. main() returns the exit code; only this file sets it.
import { setFlagsFromString } from 'node:v8';

// undici parses HTTP with llhttp, compiled to WebAssembly. V8 compiles it at once with its baseline
// compiler (Liftoff), then again, optimised, on a background thread, and Node does not exit until
// that second compile is done: about 80 ms added to every run that made a request, more than the
// request itself (measured with bench/startup.bench.mjs). Baseline code parses response headers
// fast enough, so the optimising tier is turned off. Set here, not in main(): it is process-wide.
setFlagsFromString('--liftoff-only');

// dist/ is a bundle: with DVAS_DEBUG=1 the stack traces it prints point into src/ instead.
if (process.env.DVAS_DEBUG === '1') process.setSourceMapsEnabled(true);

const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
