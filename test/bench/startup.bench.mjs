// npm run bench:startup: how long `dvas whoami` takes with a cached token, against three bare Node
// scripts that make the same WhoAmI request with the same bearer token, measured in the same run:
//
// - `node:http`: the true floor, Node's own HTTP client and nothing else;
// - undici's request(): the client dvas sends every request through (resolved from this repository);
// - global fetch(): Node's internal copy of undici; it flatters dvas, since fetch() itself costs.
//
// The target (issue 7) is dvas at most 2.0× the `node:http` script. All four are whole processes,
// started the way a person or a script starts them, against the emulator in a process of its own
// (`dvas emulator --json`). dvas: `node bin/dvas.js whoami -o json`, the profile from
// DVAS_URL/AZURE_* variables (client secret); one run first signs in through msal and fills the
// token cache, every measured run finds the token there (the authority's log is checked: no token
// request while measuring).
//
// Two figures per process: its wall time, and its CPU time (user + system, all threads), which a
// tiny module preloaded into every variant alike (--import) reads at exit. On a machine shared with
// other work the wall time mostly measures the queue for a core; the CPU time much less so. Runs
// alternate between the variants so that noise hits them alike. Medians, with the load average.
//
// Usage: node test/bench/startup.bench.mjs [--runs N]   (after npm run build)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './median.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'dvas.js');
const TARGET_RATIO = 2.0;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 21;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs takes a positive whole number');

// The floor: what anyone would write with Node's own HTTP client, no dependencies.
const BARE_HTTP = `import { request } from 'node:http';
const response = await new Promise((resolve, reject) => {
  request(process.env.WHOAMI_URL, {
    headers: { Authorization: 'Bearer ' + process.env.BEARER_TOKEN, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' },
  }, resolve).on('error', reject).end();
});
if (response.statusCode !== 200) throw new Error('WhoAmI answered ' + response.statusCode);
let body = '';
response.setEncoding('utf8');
for await (const chunk of response) body += chunk;
process.stdout.write(body);
`;

// The same with global fetch(), no dependencies.
const BARE_FETCH = `const response = await fetch(process.env.WHOAMI_URL, {
  headers: { Authorization: 'Bearer ' + process.env.BEARER_TOKEN, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' },
});
if (response.status !== 200) throw new Error('WhoAmI answered ' + response.status);
process.stdout.write(await response.text());
`;

// The same over undici's request(), the client dvas uses (resolved from this repository).
const BARE_UNDICI = `import { createRequire } from 'node:module';
const { request } = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('undici');
const response = await request(process.env.WHOAMI_URL, {
  headers: { Authorization: 'Bearer ' + process.env.BEARER_TOKEN, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' },
});
if (response.statusCode !== 200) throw new Error('WhoAmI answered ' + response.statusCode);
process.stdout.write(await response.body.text());
`;
// Preloaded into every measured process: its CPU time at exit, appended to CPU_REPORT.
const CPU_REPORT = `import { appendFileSync } from 'node:fs';
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  appendFileSync(process.env.CPU_REPORT, ((user + system) / 1000).toFixed(2) + '\\n');
});
`;
const work = mkdtempSync(join(tmpdir(), 'dvas-startup-'));
const emulator = await startEmulator();
try {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    DVAS_CONFIG_DIR: join(work, 'config'),
    DVAS_URL: emulator.url,
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    NO_COLOR: '1',
  };
  const dvas = [BIN, 'whoami', '-o', 'json'];
  // Sign in once (msal, client credentials): the token lands in the cache file.
  expectOk(spawnSync(process.execPath, dvas, { env, encoding: 'utf8' }), 'dvas whoami (signing in)');
  const token = cachedAccessToken(join(env.DVAS_CONFIG_DIR, 'token-cache.json'));
  const bareEnv = { PATH: env.PATH, WHOAMI_URL: `${emulator.url}/api/data/v9.2/WhoAmI`, BEARER_TOKEN: token };
  const preload = ['--import', pathToFileURL(writeScript('cpu-report.mjs', CPU_REPORT)).href];
  const report = join(work, 'cpu-report.txt');

  const variants = [
    { name: 'dvas whoami (cached token)', label: 'dvas', args: dvas, env },
    { name: 'bare node script, node:http', label: 'bare node:http', args: [writeScript('bare-http.mjs', BARE_HTTP)], env: bareEnv },
    { name: 'bare node script, undici request()', label: 'bare undici request()', args: [writeScript('bare-undici.mjs', BARE_UNDICI)], env: bareEnv },
    { name: 'bare node script, fetch()', label: 'bare fetch()', args: [writeScript('bare-fetch.mjs', BARE_FETCH)], env: bareEnv },
  ];
  const tokensBefore = await tokenRequests(emulator.url);
  const runOnce = (variant) => {
    rmSync(report, { force: true });
    const started = performance.now();
    const result = spawnSync(process.execPath, [...preload, ...variant.args], { env: { ...variant.env, CPU_REPORT: report }, encoding: 'utf8' });
    const wall = performance.now() - started;
    expectOk(result, variant.name);
    return { wall, cpu: Number(readFileSync(report, 'utf8')) };
  };
  for (const variant of variants) runOnce(variant);
  const times = new Map(variants.map((variant) => [variant, { wall: [], cpu: [] }]));
  const loadBefore = loadavg()[0];
  for (let run = 0; run < RUNS; run++) {
    for (const variant of variants) {
      const { wall, cpu } = runOnce(variant);
      times.get(variant).wall.push(wall);
      times.get(variant).cpu.push(cpu);
    }
  }
  const loadAfter = loadavg()[0];
  const tokensAfter = await tokenRequests(emulator.url);
  if (tokensAfter !== tokensBefore) throw new Error(`dvas asked for ${tokensAfter - tokensBefore} tokens while measured: the token cache was not used`);

  console.log(`Start-up, ${RUNS} runs each (Node ${process.version}, ${process.platform}-${process.arch}, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}):`);
  for (const [variant, { wall, cpu }] of times) {
    console.log(`  ${variant.name.padEnd(36)} wall median ${ms(median(wall))} (min ${ms(Math.min(...wall))})   CPU median ${ms(median(cpu))}`);
  }
  const [dvasTimes, ...baselines] = [...times.values()];
  for (const [index, baseline] of baselines.entries()) {
    const variant = variants[index + 1];
    const wallRatio = median(dvasTimes.wall) / median(baseline.wall);
    const cpuRatio = median(dvasTimes.cpu) / median(baseline.cpu);
    const target = index === 0 ? ` (target ≤ ${TARGET_RATIO.toFixed(1)}: ${wallRatio <= TARGET_RATIO ? 'met' : 'missed'})` : '';
    console.log(`Ratio dvas / ${variant.label} (medians): ${wallRatio.toFixed(2)}${target}; CPU time ${cpuRatio.toFixed(2)}`);
  }
  console.log(`Token requests while measuring: ${tokensAfter - tokensBefore}.`);
} finally {
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}

/** `dvas emulator --port 0 --json --no-limits` in its own process; resolves with its startup line. */
async function startEmulator() {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--json', '--no-limits'], {
    env: { PATH: process.env.PATH ?? '', DVAS_CONFIG_DIR: join(work, 'emulator-config') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const line = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.on('exit', (code) => reject(new Error(`dvas emulator exited with ${code}`)));
  });
  const info = JSON.parse(line);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    url: info.url,
    tenantId: info.tenantId,
    clientId: info.clientId,
    clientSecret: info.clientSecret,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function tokenRequests(url) {
  const response = await fetch(`${url}/_emulator/authority/log`);
  return (await response.json()).tokenRequests;
}

/** The one access token in msal's cache file, as dvas stored it. */
function cachedAccessToken(file) {
  const cache = JSON.parse(readFileSync(file, 'utf8'));
  const [entry, ...others] = Object.values(cache.AccessToken ?? {});
  if (!entry || others.length > 0) throw new Error(`expected one access token in ${file}`);
  return entry.secret;
}

function writeScript(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

function expectOk(result, what) {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr}`);
}


function ms(value) {
  return `${value.toFixed(0).padStart(4)} ms`;
}
