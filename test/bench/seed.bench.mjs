// npm run bench:seed: how fast `dvas create <table> --file` seeds rows, beside two baselines measured
// in the same run against the same emulator settings (issue 13, docs/bulk-create.md "Benchmark"):
//
// - naive: one POST per row, one after another, through undici's request(): what a script that
//   loops over its rows does today (with the caller header per row for the multi-user file);
// - minimal: a hand-written client that sends pre-built CreateMultiple bodies, grouped by user with
//   that user's caller header, at the concurrency the service hints (x-ms-dop-hint): the practical
//   limit for one signed-in identity, since it does nothing but send.
//
// Targets: dvas ≥ 50× the naive loop, ≥ 0.85× the minimal client, and below 200 MB peak RSS while
// it seeds 1,000,000 NDJSON rows.
//
// The emulator runs in a process of its own (serve-emulator.mjs), a fresh one for every measurement
// so that no measurement inherits another's service protection window, with the real limits on and
// these faults, chosen to take as long as the service does (docs/bulk-create.md says why):
//   latency=50ms   every request: the service's fixed cost of one request;
//   rowLatency=2ms every row a request creates: the service's own work per row.
// dvas is the real CLI process (`node bin/dvas.js create accounts --file … -o json`), timed from
// spawn to exit: start-up, reading and checking the file and the lookups all count against it.
// The minimal client is timed from its first request to its last answer, its bodies built before.
// The naive loop runs on a sample (--naive-rows, 200 by default: 10,000 rows would take 9 minutes
// at 52 ms a row); rows per second is what is compared. Every measurement checks the emulator's
// own count of rows created against the rows it was meant to create.
//
// The memory run seeds 1,000,000 rows with the limits on but without injected latency (at 2 ms a
// row it would take over 8 minutes; reading a file is far faster than sending it either way, so
// dvas's input must wait for its senders in both). Peak RSS is the dvas process's maximum resident
// set: GNU time's `%M` where /usr/bin/time exists, otherwise VmHWM from /proc/<pid>/status polled.
// The emulator keeps every row it creates (about 350 bytes each) in its own process, which is not
// the one measured.
//
// Usage: node test/bench/seed.bench.mjs [--runs N] [--naive-rows N] [--rss-rows N | --no-rss]
//        (after npm run build; `npm run bench:seed` builds first)
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { median } from './median.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'dvas.js');
const SERVICE_FAULTS = 'latency=50ms,rowLatency=2ms';
const ROWS = 10_000;
/** The minimal client's rows per request: dvas's default --batch-size (docs/bulk-create.md). */
const MINIMAL_BATCH = 250;
/** The five demo users who may create accounts (docs/emulator-seed.md), one of them on-premises. */
const SEED_USERS = ['admin@contoso.com', 'sam.sales@contoso.com', 'tess.team@contoso.com', 'devon.delegate@contoso.com', 'owen.onprem@contoso.com'];
const TARGETS = { overNaive: 50, overMinimal: 0.85, peakRssMB: 200 };

const options = parseArguments(process.argv.slice(2));
const work = mkdtempSync(join(os.tmpdir(), 'dvas-seed-bench-'));

try {
  const scenarios = [
    { name: '10,000 accounts, one user', file: join(work, 'one-user.ndjson'), rows: accountRows(ROWS, () => undefined) },
    { name: '10,000 accounts, 5 users', file: join(work, 'five-users.ndjson'), rows: accountRows(ROWS, (index) => SEED_USERS[index % SEED_USERS.length]) },
  ];
  for (const scenario of scenarios) writeFileSync(scenario.file, scenario.rows.map((row) => JSON.stringify(row)).join('\n') + '\n');

  const results = scenarios.map((scenario) => ({ scenario, dvas: [], naive: [], minimal: [] }));
  for (let run = 0; run < options.runs; run++) {
    for (const result of results) {
      // Alternate the order, so that whatever the machine does meanwhile hits every variant alike.
      const order = run % 2 === 0 ? ['naive', 'minimal', 'dvas'] : ['dvas', 'minimal', 'naive'];
      for (const variant of order) {
        const measured = await measure(variant, result.scenario);
        result[variant].push(measured);
        progress(`run ${run + 1}/${options.runs} · ${result.scenario.name} · ${variant}: ${describe(measured)}`);
      }
    }
  }
  const memory = options.rssRows > 0 ? await measureMemory(options.rssRows) : undefined;
  if (memory) progress(`memory run: ${describe(memory)}`);
  const verdicts = report(results, memory);
  if (verdicts.some((verdict) => !verdict)) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** `count` account rows; `userOf(index)` names the row's user in `@as`, or undefined for none. */
function accountRows(count, userOf) {
  return Array.from({ length: count }, (_, index) => {
    const user = userOf(index);
    return {
      ...(user === undefined ? {} : { '@as': user }),
      name: `Seeded account ${index + 1}`,
      accountnumber: `SEED-${String(index + 1).padStart(7, '0')}`,
      telephone1: '+1 555 0100',
      numberofemployees: 10 + (index % 90),
      address1_city: 'Redmond',
    };
  });
}

async function measure(variant, scenario) {
  const emulator = await startEmulator({ faults: SERVICE_FAULTS });
  try {
    const before = await emulator.sample();
    const measured =
      variant === 'dvas'
        ? await runDvas(emulator, scenario.file)
        : variant === 'naive'
          ? await naiveLoop(emulator, scenario.rows.slice(0, options.naiveRows))
          : await minimalClient(emulator, scenario.rows);
    const after = await emulator.sample();
    if (measured.error) return measured;
    const created = after.rows - before.rows;
    if (created !== measured.rows) {
      return { ...measured, error: `meant to create ${measured.rows} rows, the emulator created ${created}` };
    }
    return { ...measured, rate: measured.rows / measured.seconds, throttled: throttledCount(before, after) };
  } finally {
    await emulator.stop();
  }
}

/** The real CLI, spawned as a person or a CI job runs it; rows created per its wall time. */
async function runDvas(emulator, file, { measureRss = false } = {}) {
  const config = mkdtempSync(join(work, 'config-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: config,
    DVAS_CONFIG_DIR: join(config, 'dvas'),
    DVAS_URL: emulator.url,
    DVAS_ACCESS_TOKEN: emulator.token,
    NO_COLOR: '1',
  };
  const args = ['create', 'accounts', '--file', file, '--report', join(config, 'report.ndjson'), '-o', 'json'];
  const timeFile = join(config, 'time.txt');
  const useGnuTime = measureRss && existsSync('/usr/bin/time');
  const [command, commandArgs] = useGnuTime
    ? ['/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const started = performance.now();
  const child = spawn(command, commandArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const polledPeak = measureRss && !useGnuTime ? pollPeakRss(child.pid) : undefined;
  const [code] = await once(child, 'close');
  const seconds = (performance.now() - started) / 1000;
  const peakKB = useGnuTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) : polledPeak?.stop();
  if (code !== 0) return { error: `dvas exited with ${code}: ${errorText(stdout, stderr)}`, seconds };
  let summary;
  try {
    summary = JSON.parse(stdout);
  } catch {
    return { error: `dvas printed no JSON summary: ${stdout.slice(0, 200)}`, seconds };
  }
  const rows = Number(summary?.created ?? summary?.totals?.created ?? NaN);
  return { rows: Number.isFinite(rows) ? rows : countLines(file), seconds, ...(peakKB === undefined ? {} : { peakMB: peakKB / 1024 }) };
}

/** What dvas said went wrong, on one line: the message of a JSON error on stdout, else stderr's last lines. */
function errorText(stdout, stderr) {
  try {
    const message = JSON.parse(stdout)?.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: fall back to stderr.
  }
  return (stderr.trim() || stdout.trim()).split('\n').slice(-3).join(' / ');
}

/** VmHWM (peak resident set) of a running process, read every 20 ms until stopped. */
function pollPeakRss(pid) {
  let peakKB = 0;
  const read = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKB = Math.max(peakKB, Number(match[1]));
    } catch {
      // The process has gone: the last reading stands.
    }
  };
  const timer = setInterval(read, 20);
  read();
  return { stop: () => (clearInterval(timer), peakKB) };
}

/** One POST per row, each waiting for the last: a script's loop. Waits out a 429 as a careful script would. */
async function naiveLoop(emulator, rows) {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const callers = callerHeaders(emulator.users);
  try {
    const started = performance.now();
    for (const { '@as': user, ...row } of rows) {
      for (;;) {
        const response = await request(`${emulator.apiUrl}accounts`, {
          method: 'POST',
          dispatcher: agent,
          headers: { ...headers(emulator.token), 'content-type': 'application/json; charset=utf-8', ...(user ? callers.get(user) : {}) },
          body: JSON.stringify(row),
        });
        const text = await response.body.text();
        if (response.statusCode === 204) break;
        if (response.statusCode === 429) {
          await sleep(Number(response.headers['retry-after'] ?? 1) * 1000);
          continue;
        }
        return { error: `a single create answered ${response.statusCode}: ${text.slice(0, 200)}`, seconds: 0 };
      }
    }
    return { rows: rows.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    await agent.close();
  }
}

/**
 * Pre-built CreateMultiple bodies, one user each, sent by as many workers as x-ms-dop-hint says
 * (read from a WhoAmI answer before the clock starts, as Microsoft's parallel-requests sample does).
 * A 429 is waited out and the same body sent again. Nothing else: no ids, no checks, no report.
 */
async function minimalClient(emulator, rows) {
  const callers = callerHeaders(emulator.users);
  const byUser = new Map();
  for (const { '@as': user, ...row } of rows) {
    const key = user ?? '';
    if (!byUser.has(key)) byUser.set(key, []);
    byUser.get(key).push({ ...row, '@odata.type': 'Microsoft.Dynamics.CRM.account' });
  }
  const batches = [];
  for (const [user, userRows] of byUser) {
    for (let start = 0; start < userRows.length; start += MINIMAL_BATCH) {
      const targets = userRows.slice(start, start + MINIMAL_BATCH);
      batches.push({ rows: targets.length, caller: user ? callers.get(user) : {}, body: JSON.stringify({ Targets: targets }) });
    }
  }
  const whoAmI = await request(`${emulator.apiUrl}WhoAmI`, { headers: headers(emulator.token) });
  await whoAmI.body.text();
  const concurrency = Number(whoAmI.headers['x-ms-dop-hint'] ?? 4);
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  try {
    let next = 0;
    let created = 0;
    let failure;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length && !failure) {
          const batch = batches[next++];
          for (;;) {
            const response = await request(`${emulator.apiUrl}accounts/Microsoft.Dynamics.CRM.CreateMultiple`, {
              method: 'POST',
              dispatcher: agent,
              headers: { ...headers(emulator.token), 'content-type': 'application/json; charset=utf-8', ...batch.caller },
              body: batch.body,
            });
            const text = await response.body.text();
            if (response.statusCode === 200) {
              created += JSON.parse(text).Ids.length;
              break;
            }
            if (response.statusCode === 429) {
              await sleep(Number(response.headers['retry-after'] ?? 1) * 1000);
              continue;
            }
            failure = `CreateMultiple answered ${response.statusCode}: ${text.slice(0, 200)}`;
            break;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return failure ? { error: failure, seconds } : { rows: created, seconds, concurrency };
  } finally {
    await agent.close();
  }
}

/** dvas seeding `count` NDJSON rows as one user, limits on, no injected latency: its peak RSS. */
async function measureMemory(count) {
  const file = join(work, 'million.ndjson');
  const out = createWriteStream(file);
  for (let index = 0; index < count; index++) {
    const line = `{"name":"Seeded account ${index + 1}","accountnumber":"SEED-${String(index + 1).padStart(7, '0')}","telephone1":"+1 555 0100","numberofemployees":${10 + (index % 90)}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const emulator = await startEmulator({});
  try {
    const before = await emulator.sample();
    const measured = await runDvas(emulator, file, { measureRss: true });
    const after = await emulator.sample();
    if (measured.error) return { ...measured, count };
    const created = after.rows - before.rows;
    if (created !== count) return { ...measured, count, error: `meant to create ${count} rows, the emulator created ${created}` };
    return { ...measured, count, rate: count / measured.seconds };
  } finally {
    await emulator.stop();
    rmSync(file, { force: true });
  }
}

/** The caller header for each user a row may name, as the docs say: CallerObjectId, else MSCRMCallerID. */
function callerHeaders(users) {
  const callers = new Map();
  for (const user of users) {
    callers.set(
      user.internalemailaddress,
      user.azureactivedirectoryobjectid ? { callerobjectid: user.azureactivedirectoryobjectid } : { mscrmcallerid: user.systemuserid },
    );
  }
  return callers;
}

function headers(token) {
  return { authorization: `Bearer ${token}`, accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0' };
}

async function startEmulator(settings) {
  const child = fork(join(ROOT, 'test', 'bench', 'serve-emulator.mjs'), [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = await once(child, 'message');
  return {
    ...message.ready,
    async sample() {
      const reply = once(child, 'message');
      child.send('sample');
      const [{ sample }] = await reply;
      return sample;
    },
    async stop() {
      child.send('stop');
      await once(child, 'exit');
    },
  };
}

function throttledCount(before, after) {
  const sum = (sample) => sample.throttled.requests + sample.throttled.executionTime + sample.throttled.concurrency;
  return sum(after) - sum(before);
}

function countLines(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseArguments(argv) {
  const parsed = { runs: 3, naiveRows: 200, rssRows: 1_000_000 };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === '--no-rss') {
      parsed.rssRows = 0;
      continue;
    }
    const key = { '--runs': 'runs', '--naive-rows': 'naiveRows', '--rss-rows': 'rssRows' }[flag];
    const value = Number(argv[++index]);
    if (!key || !Number.isInteger(value) || value < 1) throw new Error(`Usage: seed.bench.mjs [--runs N] [--naive-rows N] [--rss-rows N | --no-rss] (not '${flag} ${argv[index] ?? ''}')`);
    parsed[key] = value;
  }
  return parsed;
}


function progress(text) {
  process.stderr.write(`${text}\n`);
}

function describe(measured) {
  if (measured.error) return `FAILED (${measured.error})`;
  const parts = [`${number(measured.rows)} rows in ${measured.seconds.toFixed(2)} s = ${number(measured.rate)} rows/s`];
  if (measured.peakMB !== undefined) parts.push(`peak RSS ${measured.peakMB.toFixed(0)} MB`);
  if (measured.throttled) parts.push(`${measured.throttled} answered 429 by the limits`);
  return parts.join(', ');
}

function number(value) {
  return Math.round(value).toLocaleString('en-US');
}

/** Prints the table; returns one verdict per target (true when met). */
function report(results, memory) {
  const cpus = os.cpus();
  const [load1] = os.loadavg();
  const verdicts = [];
  const verdict = (met) => (verdicts.push(met), met ? 'PASS' : 'FAIL');
  const rate = (runs) => (runs.length > 0 && runs.every((run) => !run.error) ? median(runs.map((run) => run.rate)) : undefined);
  const cell = (runs) => (rate(runs) === undefined ? 'failed' : number(rate(runs)));
  console.log(`dvas seeding benchmark: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), load average ${load1.toFixed(1)}`);
  console.log(`Emulator in its own process, a fresh one per measurement: real service protection limits, faults ${SERVICE_FAULTS}.`);
  console.log(`Rows per second, medians of ${options.runs} runs; naive on the first ${number(options.naiveRows)} rows of each file; minimal sends ${MINIMAL_BATCH}-row CreateMultiple bodies at x-ms-dop-hint.\n`);
  console.log(`${'scenario'.padEnd(28)}${'dvas'.padStart(9)}${'naive'.padStart(9)}${'minimal'.padStart(9)}   dvas/naive (≥ ${TARGETS.overNaive}×)   dvas/minimal (≥ ${TARGETS.overMinimal}×)`);
  for (const { scenario, dvas, naive, minimal } of results) {
    const [d, n, m] = [rate(dvas), rate(naive), rate(minimal)];
    const overNaive = d !== undefined && n !== undefined ? d / n : undefined;
    const overMinimal = d !== undefined && m !== undefined ? d / m : undefined;
    const ratio = (value, target, digits) => (value === undefined ? `    —     ${verdict(false)}` : `${value.toFixed(digits).padStart(7)}×  ${verdict(value >= target)}`);
    console.log(
      `${scenario.name.padEnd(28)}${cell(dvas).padStart(9)}${cell(naive).padStart(9)}${cell(minimal).padStart(9)}   ${ratio(overNaive, TARGETS.overNaive, 0).padEnd(22)}${ratio(overMinimal, TARGETS.overMinimal, 2)}`,
    );
    for (const [name, runs] of [['dvas', dvas], ['naive', naive], ['minimal', minimal]]) {
      const failed = runs.find((run) => run.error);
      console.log(`${''.padEnd(4)}${name.padEnd(8)} ${failed ? `failed: ${failed.error}` : `runs: ${runs.map((run) => number(run.rate)).join(', ')}`}`);
    }
  }
  if (memory) {
    const peak = memory.peakMB;
    const met = !memory.error && peak !== undefined && peak < TARGETS.peakRssMB;
    console.log(
      `\nPeak RSS of dvas seeding ${number(memory.count)} NDJSON rows (limits on, no latency): ${memory.error ? `failed: ${memory.error}` : `${peak.toFixed(0)} MB, target < ${TARGETS.peakRssMB} MB  ${verdict(met)}  (${number(memory.rate)} rows/s)`}`,
    );
    if (memory.error) verdicts.push(false);
  }
  console.log('\nReproduce: npm run bench:seed   (options: -- --runs N --naive-rows N --rss-rows N | --no-rss)');
  return verdicts;
}
