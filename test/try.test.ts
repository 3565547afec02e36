import { it } from 'vitest';
import { DEMO_APP } from '../src/emulator/index.js';
import { dvasAgainst } from './helpers/dvas-against.js';
import { DEMO, useEmulator } from './helpers/emulator.js';
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
it('try', async () => {
  for (const args of [['roles', DEMO.sam, '--privileges'], ['roles', DEMO.tess, '--privileges', '--table', 'account'], ['roles', '--as', DEMO.sam, '--effective', '--table', 'accounts'], ['roles', '--as', DEMO.devon, '--effective', '--table', 'contact', '-o', 'json']]) {
  const before = emulator().stats.requests;
  const r = await dvas(DEMO_APP.clientId, [...args, ...(args.includes('-o') ? [] : ['-o', 'table'])]);
  console.log(args.join(' '), r.code, emulator().stats.requests - before, '\n', r.stdout, r.stderr);
  }
});
