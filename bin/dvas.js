#!/usr/bin/env node
// Starts the built CLI. main() returns the exit code; only this file sets it.
import { setFlagsFromString } from 'node:v8';

const BROKEN_PIPE = 141;

// undici parses HTTP with llhttp, compiled to WebAssembly. V8 compiles it at once with its baseline
// compiler (Liftoff), then again, optimised, on a background thread, and Node does not exit until
// that second compile is done: about 80 ms added to every run that made a request, more than the
// request itself (measured with test/bench/startup.bench.mjs). Baseline code parses response headers
// fast enough, so the optimising tier is turned off. Set here, not in main(): it is process-wide.
setFlagsFromString('--liftoff-only');

// dist/ is a bundle: with DVAS_DEBUG=1 the stack traces it prints point into src/ instead.
if (process.env.DVAS_DEBUG === '1') process.setSourceMapsEnabled(true);

// dist/ is made by `npm run build`: a fresh clone has none, and Node's own answer to that is an
// ERR_MODULE_NOT_FOUND stack. Say what to run instead.
const cli = await import('../dist/cli.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('error: dvas is not built yet: run npm install and npm run build in its folder first.\n');
  process.exit(1);
});
// A reader that stops early (`dvas get accounts | head -1`) closes the pipe, and the next write
// fails with EPIPE, which Node raises as an unhandled 'error' event: a stack trace. Stop quietly
// instead, with 141 (128 + SIGPIPE), the code a shell reports for any Unix tool that pipe ended.
process.stdout.on('error', (error) => {
  if (error?.code === 'EPIPE') process.exit(BROKEN_PIPE);
  throw error;
});
const { main } = cli;
const code = await main(process.argv.slice(2));
// 130: Ctrl+C. main() stopped waiting for the command, but what the command started may still hold
// the event loop: msal polling for a device code (up to 15 minutes), a browser sign-in's loopback
// server. The person asked to stop, so stop now rather than after a second Ctrl+C. Exiting here also
// leaves no time for the SIGINT that conf's exit hook (when-exit) sends again once conf is loaded.
if (code === 130) process.exit(code);
process.exitCode = code;
