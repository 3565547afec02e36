// npm run bench:startup: how long `dvas whoami` takes with a cached token, against a bare Node
// script that makes the same WhoAmI request with the same bearer token, and their ratio
// (issue 4's target: at most 1.5). Both are whole processes, started the way a person or a script
// starts them, against the emulator in a process of its own (`dvas emulator --json`).
//
// - dvas: `node bin/dvas.js whoami -o json`, the profile from DVAS_URL/AZURE_* variables (client
//   secret); one run first signs in through msal and fills the token cache, every measured run
//   finds the token there (the authority's log is checked: no token request while measuring).
// - bare: `node bare.mjs`, global fetch() and nothing else; undici's request() is shown too.
// Runs alternate between the variants so that machine noise hits them alike. Medians.
//
// Usage: node test/bench/startup.bench.mjs [--runs N]   (after npm run build)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'dvas.js');
const TARGET_RATIO = 1.5;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 21;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs takes a positive whole number');

// What anyone would write to make the request: no dvas, no dependencies.
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
  const bareFetch = writeScript('bare-fetch.mjs', BARE_FETCH);
  const bareUndici = writeScript('bare-undici.mjs', BARE_UNDICI);

  const variants = [
    { name: 'dvas whoami (cached token)', args: dvas, env },
    { name: 'bare node script, fetch()', args: [bareFetch], env: bareEnv },
    { name: 'bare node script, undici request()', args: [bareUndici], env: bareEnv },
  ];
  const tokensBefore = await tokenRequests(emulator.url);
  for (const variant of variants) expectOk(spawnSync(process.execPath, variant.args, { env: variant.env, encoding: 'utf8' }), variant.name);
  const times = new Map(variants.map((variant) => [variant.name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const variant of variants) {
      const started = performance.now();
      const result = spawnSync(process.execPath, variant.args, { env: variant.env, encoding: 'utf8' });
      times.get(variant.name).push(performance.now() - started);
      expectOk(result, variant.name);
    }
  }
  const tokensAfter = await tokenRequests(emulator.url);
  if (tokensAfter !== tokensBefore) throw new Error(`dvas asked for ${tokensAfter - tokensBefore} tokens while measured: the token cache was not used`);

  console.log(`Start-up, ${RUNS} runs each (Node ${process.version}, ${process.platform}-${process.arch}); wall time of the whole process:`);
  for (const [name, values] of times) {
    console.log(`  ${name.padEnd(36)} median ${ms(median(values))}   min ${ms(Math.min(...values))}   max ${ms(Math.max(...values))}`);
  }
  const ratio = median(times.get(variants[0].name)) / median(times.get(variants[1].name));
  console.log(`Ratio dvas / bare fetch (medians): ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'missed'})`);
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

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function ms(value) {
  return `${value.toFixed(0).padStart(4)} ms`;
}
