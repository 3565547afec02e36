// npm run bench:demo: how long `dvas demo` takes (the README promises under 10 seconds), beside
// the floor of what it does, measured in the same run.
//
// dvas: `node bin/dvas.js demo`, piped (JSON on stdout), as `npm run demo` runs it after building.
// It starts the emulator in its own process and runs 13 real commands against it; its last line
// says how many Web API requests they made. The floor: a bare Node script that starts the same
// emulator (through the package's `dvas/emulator` export, in its own process too) and sends that
// many WhoAmI requests one after another over one keep-alive connection with Node's own
// `node:http`, with a token the emulator issues directly: the process, the emulator and the round
// trips, with no CLI, no sign-in, no parsing and no output. Runs alternate between the two so that
// noise on a shared machine hits both alike; medians, with the load average.
//
// Usage: node test/bench/demo.bench.mjs [--runs N]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './median.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'dvas.js');
const TARGET_MS = 10_000;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs takes a positive whole number');

const FLOOR = `import { Agent, request } from 'node:http';
import { startEmulator, DEMO_APP } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'emulator', 'index.js')).href)};
const emulator = await startEmulator({ port: 0 });
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const headers = { Authorization: 'Bearer ' + emulator.issueToken(DEMO_APP.clientId), Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };
for (let i = 0; i < Number(process.env.REQUESTS); i++) {
  const response = await new Promise((resolve, reject) => request(emulator.apiUrl + 'WhoAmI', { agent, headers }, resolve).on('error', reject).end());
  if (response.statusCode !== 200) throw new Error('WhoAmI answered ' + response.statusCode);
  for await (const _ of response);
}
agent.destroy();
await emulator.close();
`;

const work = mkdtempSync(join(tmpdir(), 'dvas-bench-demo-'));
try {
  const floorScript = join(work, 'floor.mjs');
  writeFileSync(floorScript, FLOOR);
  const env = { PATH: process.env.PATH ?? '', HOME: work, DVAS_CONFIG_DIR: join(work, 'config'), NO_COLOR: '1' };
  const runDemo = () => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, 'demo'], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wall = performance.now() - started;
    if (result.status !== 0) throw new Error(`dvas demo failed (${result.status}): ${result.stderr}`);
    const requests = Number(/, (\d+) Web API requests;/.exec(result.stderr)?.[1]);
    if (!Number.isInteger(requests)) throw new Error(`dvas demo did not say how many requests it made: ${result.stderr.slice(-400)}`);
    return { wall, requests };
  };
  const runFloor = (requests) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [floorScript], { env: { ...env, REQUESTS: String(requests) }, encoding: 'utf8' });
    const wall = performance.now() - started;
    if (result.status !== 0) throw new Error(`the floor script failed (${result.status}): ${result.stderr}`);
    return wall;
  };
  const { requests } = runDemo();
  runFloor(requests);
  const demo = [];
  const floor = [];
  const loadBefore = loadavg()[0];
  for (let run = 0; run < RUNS; run++) {
    demo.push(runDemo().wall);
    floor.push(runFloor(requests));
  }
  const loadAfter = loadavg()[0];
  const ratio = median(demo) / median(floor);
  console.log(`dvas demo, ${RUNS} runs each (Node ${process.version}, ${process.platform}-${process.arch}, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}):`);
  console.log(`  dvas demo (13 commands, ${requests} Web API requests)   wall median ${ms(median(demo))} (min ${ms(Math.min(...demo))})`);
  console.log(`  floor: emulator + ${requests} bare node:http requests    wall median ${ms(median(floor))} (min ${ms(Math.min(...floor))})`);
  console.log(`Ratio dvas demo / floor (medians): ${ratio.toFixed(2)}`);
  console.log(`Target: under ${TARGET_MS / 1000} s: ${median(demo) < TARGET_MS ? 'met' : 'missed'}.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}


function ms(value) {
  return `${value.toFixed(0).padStart(5)} ms`;
}
