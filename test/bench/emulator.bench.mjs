// npm run bench:emulator: how fast the emulator answers over loopback, limits off and no faults.
// The emulator runs in a child process (test/bench/serve-emulator.mjs, against the built dist/); this
// process is the client: undici request() over keep-alive connections, several in flight.
// Figures are medians of several runs, each beside the floor measured in the same run: a bare
// node:http server (test/bench/serve-floor.mjs) answering the same requests with canned bytes and no
// Dataverse behind them, and the ratio. `--profile` writes a CPU profile of the emulator process.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { median } from './median.mjs';

const RUNS = 5;
const GET_SECONDS = 2;
const GET_CONCURRENCY = 16;
const CREATE_REQUESTS_PER_RUN = 20;
const ROWS_PER_CREATE = 1000;
const CREATE_CONCURRENCY = 4;
const TARGETS = { getById: 3000, rowsCreated: 50_000 };

const profile = process.argv.includes('--profile');
const profileDir = join(os.tmpdir(), 'dvas-bench-profiles');

/** The request headers of every call; the floor ignores the token. */
const headersFor = (server) => ({
  authorization: `Bearer ${server.token}`,
  accept: 'application/json',
  'odata-maxversion': '4.0',
  'odata-version': '4.0',
  'if-none-match': 'null',
});

// accountnumber is an alternate key of the demo organisation: each body's numbers are new.
let created = 0;
const createBody = () =>
  JSON.stringify({
    Targets: Array.from({ length: ROWS_PER_CREATE }, () => {
      const number = created++;
      return { '@odata.type': 'Microsoft.Dynamics.CRM.account', name: `Bench account ${number}`, accountnumber: `B-${number}`, telephone1: '+1 555 0100' };
    }),
  });

const emulator = await startServer('serve-emulator.mjs', [], profile);
let floor;
const agent = new Agent({ connections: GET_CONCURRENCY, keepAliveTimeout: 30_000, pipelining: 1 });

try {
  // Warm up (JIT, connections) and get ids to read back.
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(...(await call(emulator, 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', createBody())).Ids);
  const measured = await measure(emulator, ids);
  // The floor answers every read with the emulator's own answer to one, byte for byte.
  floor = await startServer('serve-floor.mjs', [await callText(emulator, 'GET', `accounts(${ids[0]})`)], false);
  await measure(floor, ids);
  const floorMeasured = await measure(floor, ids);

  const results = [
    {
      name: 'GET-by-id',
      unit: 'requests/s',
      runs: measured.getRuns,
      floorRuns: floorMeasured.getRuns,
      target: TARGETS.getById,
      how: `${RUNS} runs of ${GET_SECONDS} s, ${GET_CONCURRENCY} in flight`,
    },
    {
      name: 'CreateMultiple',
      unit: 'rows/s',
      runs: measured.createRuns,
      floorRuns: floorMeasured.createRuns,
      target: TARGETS.rowsCreated,
      how: `${RUNS} runs of ${CREATE_REQUESTS_PER_RUN} requests × ${ROWS_PER_CREATE.toLocaleString('en-US')} rows, ${CREATE_CONCURRENCY} in flight`,
    },
  ];
  report(results);
  if (results.some((result) => median(result.runs.map((run) => run.rate)) < result.target)) process.exitCode = 1;
} finally {
  await agent.close();
  for (const server of [emulator, floor].filter(Boolean)) {
    server.child.send('stop');
    await once(server.child, 'exit');
  }
  if (profile) console.log(`CPU profile of the emulator process written to ${profileDir}/ (open it in Chrome DevTools or speedscope).`);
}

/** The two measurements against one server: reads by id for a while, then CreateMultiple requests. */
async function measure(server, ids) {
  let next = 0;
  const getById = async () => {
    next = (next + 1) % ids.length;
    await call(server, 'GET', `accounts(${ids[next]})`);
    return 1;
  };
  const createMultiple = async () => (await call(server, 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', createBody())).Ids.length;
  await forDuration(1, GET_CONCURRENCY, getById);
  const getRuns = [];
  for (let run = 0; run < RUNS; run++) getRuns.push(await withServerCpu(server, (sample) => sample.requests, () => forDuration(GET_SECONDS, GET_CONCURRENCY, getById)));
  const createRuns = [];
  for (let run = 0; run < RUNS; run++) createRuns.push(await withServerCpu(server, (sample) => sample.rows, () => forCount(CREATE_REQUESTS_PER_RUN, CREATE_CONCURRENCY, createMultiple)));
  return { getRuns, createRuns };
}

async function startServer(script, args, withProfile) {
  const execArgv = withProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (withProfile) mkdirSync(profileDir, { recursive: true });
  const child = fork(join('test', 'bench', script), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = await once(child, 'message');
  return { child, ...message.ready };
}

/** The server process's CPU time (user + system, microseconds) and its counters. */
async function serverSample(server) {
  const reply = once(server.child, 'message');
  server.child.send('sample');
  const [{ sample }] = await reply;
  return { cpuMicros: sample.cpu.user + sample.cpu.system, requests: sample.requests, rows: sample.rows };
}

/**
 * Runs a measurement and what it cost the emulator in CPU time: units per CPU-second is what one
 * core could serve whatever the client and the rest of the machine are doing. The emulator's own
 * counters must agree with what the client counted (`served` picks requests or rows).
 */
async function withServerCpu(server, served, measure) {
  const before = await serverSample(server);
  const { units, seconds } = await measure();
  const after = await serverSample(server);
  if (served(after) - served(before) !== units) {
    throw new Error(`The client counted ${units} but the server served ${served(after) - served(before)}: the measurement is wrong.`);
  }
  const cpuSeconds = (after.cpuMicros - before.cpuMicros) / 1e6;
  return { rate: units / seconds, capacity: units / cpuSeconds, busy: cpuSeconds / seconds };
}

async function callText(server, method, path, body) {
  const response = await request(`${server.apiUrl}${path}`, {
    method,
    dispatcher: agent,
    headers: body === undefined ? headersFor(server) : { ...headersFor(server), 'content-type': 'application/json; charset=utf-8' },
    body,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return text;
}

async function call(server, method, path, body) {
  return JSON.parse(await callText(server, method, path, body));
}

/** Keeps `concurrency` operations in flight for `seconds`; returns units per second. */
async function forDuration(seconds, concurrency, operation) {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let units = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        // Not `units += await …`: that reads `units` before the await and loses the other workers' counts.
        const done = await operation();
        units += done;
      }
    }),
  );
  return { units, seconds: (performance.now() - started) / 1000 };
}

/** Runs `count` operations, `concurrency` at a time; returns units per second. */
async function forCount(count, concurrency, operation) {
  const started = performance.now();
  let remaining = count;
  let units = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining-- > 0) {
        const done = await operation();
        units += done;
      }
    }),
  );
  return { units, seconds: (performance.now() - started) / 1000 };
}


function report(results) {
  const cpus = os.cpus();
  const number = (value) => Math.round(value).toLocaleString('en-US');
  const [load1] = os.loadavg();
  console.log(`dvas emulator benchmark: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), load average ${load1.toFixed(1)}`);
  console.log('Emulator in a child process, limits off, no faults; client: undici request() over loopback keep-alive.\n');
  for (const result of results) {
    const rate = median(result.runs.map((run) => run.rate));
    const capacity = median(result.runs.map((run) => run.capacity));
    const busy = median(result.runs.map((run) => run.busy));
    const verdict = rate >= result.target ? 'PASS' : 'FAIL';
    console.log(
      `${result.name.padEnd(15)} ${number(rate).padStart(9)} ${result.unit.padEnd(11)} target ≥ ${number(result.target).padStart(6)}  ${(rate / result.target).toFixed(2)}×  ${verdict}`,
    );
    console.log(`${''.padEnd(15)} median of ${result.how}; runs: ${result.runs.map((run) => number(run.rate)).join(', ')}`);
    console.log(
      `${''.padEnd(15)} emulator CPU: ${number(capacity)} ${result.unit} per CPU-second (${(capacity / result.target).toFixed(2)}× the target), busy ${Math.round(busy * 100)} % of the time`,
    );
    const floorRate = median(result.floorRuns.map((run) => run.rate));
    const floorCapacity = median(result.floorRuns.map((run) => run.capacity));
    console.log(
      `${''.padEnd(15)} floor (bare node:http server, same client): ${number(floorRate)} ${result.unit}, ${number(floorCapacity)} per CPU-second; emulator / floor ${(rate / floorRate).toFixed(2)} (CPU ${(capacity / floorCapacity).toFixed(2)})`,
    );
  }
  console.log('\nReproduce: npm run bench:emulator   (CPU profile of the emulator: npm run bench:emulator -- --profile)');
}
