// npm run bench:who-can: `dvas who-can` on an organisation of 2,000 users and 50 roles, against the
// bare requests it needs, sent in the same run through undici with nothing else around them. Also
// `dvas can … --as` (the issue asks for well under a second) beside its bare requests.
//
// The emulator runs in a child process (test/bench/serve-emulator.mjs, against the built dist/)
// with a generated seed file; dvas is the real CLI, spawned as a person runs it, so its figure
// includes Node's start-up. Two baselines: the bare requests sent from this process, and the same
// bare requests from a spawned Node process (this file with --bare), which pays the same start-up
// as dvas. Each figure is the median of several runs; the ratios are dvas's median over each. Target: who-can under 3 s. Exit 1 when a target is missed or an answer is
// wrong (every run checks the number of users listed against what the seed gives).
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { median } from './median.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = 5;
const USERS = 2000;
const ROLES = 50;
const TEAMS = 40;
const UNITS = 5;
const TARGETS = { whoCanMs: 3000, canMs: 1000 };

// --bare <who-can|can>: the spawned baseline client; the emulator's address and token come in the environment.
if (process.argv[2] === '--bare') {
  const client = bareClient(process.env.BENCH_API_URL, process.env.BENCH_TOKEN);
  const found = process.argv[3] === 'who-can' ? await baselineWhoCan(client) : await baselineCan(client, process.env.BENCH_TARGET);
  process.stdout.write(String(found));
  await client.close();
  process.exit(0);
}

// Loaded here only: the spawned bare client must not pay for loading the emulator.
const { DEMO_APP } = await import('../../dist/emulator/index.js');
const work = mkdtempSync(join(os.tmpdir(), 'dvas-bench-who-can-'));
const seed = organisation();
const seedFile = join(work, 'seed.json');
writeFileSync(seedFile, JSON.stringify(seed));
const server = await startServer({ seedFile, limits: false });
const client = bareClient(server.apiUrl, server.token);
const target = seed.users[1].email;

try {
  const expected = expectedReaders();
  // Warm up the emulator (JIT, caches) with one of each.
  await baselineWhoCan(client);
  await spawnNode([join(ROOT, 'bin', 'dvas.js'), 'who-can', 'read', 'accounts', '-o', 'json']);

  const whoCan = { dvas: [], inProcess: [], spawned: [] };
  const can = { dvas: [], inProcess: [], spawned: [] };
  for (let run = 0; run < RUNS; run++) {
    const inProcess = await timed(() => baselineWhoCan(client));
    check(inProcess.value, expected, 'the bare requests');
    whoCan.inProcess.push(inProcess.ms);
    const spawnedBare = await timed(() => spawnNode([fileURLToPath(import.meta.url), '--bare', 'who-can']));
    check(Number(spawnedBare.value), expected, 'the spawned bare client');
    whoCan.spawned.push(spawnedBare.ms);
    const spawned = await timed(() => spawnNode([join(ROOT, 'bin', 'dvas.js'), 'who-can', 'read', 'accounts', '-o', 'json']));
    check(JSON.parse(spawned.value).length, expected, 'dvas who-can');
    whoCan.dvas.push(spawned.ms);

    can.inProcess.push((await timed(() => baselineCan(client, target))).ms);
    can.spawned.push((await timed(() => spawnNode([fileURLToPath(import.meta.url), '--bare', 'can']))).ms);
    can.dvas.push((await timed(() => spawnNode([join(ROOT, 'bin', 'dvas.js'), 'can', 'create', 'accounts', '--as', target, '-o', 'json'], [0, 5]))).ms);
  }
  report([
    { name: `who-can read accounts (${USERS.toLocaleString('en-US')} users, ${ROLES} roles, ${TEAMS} teams)`, ...whoCan, target: TARGETS.whoCanMs },
    { name: 'can create accounts --as <user>', ...can, target: TARGETS.canMs },
  ]);
} finally {
  server.child.send('stop');
  await once(server.child, 'exit').catch(() => undefined);
  await client.close();
  rmSync(work, { recursive: true, force: true });
}

/**
 * Five business units, 50 roles of which every other grants prvReadAccount (at a depth that
 * varies), 2,000 users with one or two roles each, 40 teams of 25 members holding a role each.
 * Deterministic, so every run measures the same organisation.
 */
function organisation() {
  const depths = ['Basic', 'Local', 'Deep', 'Global'];
  const units = [{ name: 'Bench' }, ...Array.from({ length: UNITS - 1 }, (_, i) => ({ name: `Unit ${i + 1}`, parent: 'Bench' }))];
  const roles = Array.from({ length: ROLES }, (_, i) => {
    const privileges = { prvReadContact: depths[i % 4], prvCreateTask: 'Basic', prvReadTask: depths[(i + 1) % 4] };
    if (i % 2 === 0) privileges.prvReadAccount = depths[(i / 2) % 4];
    if (i % 5 === 0) privileges.prvCreateAccount = 'Basic';
    return { name: `Role ${String(i + 1).padStart(2, '0')}`, privileges };
  });
  const app = {
    fullname: 'bench app',
    email: DEMO_APP.email,
    roles: ['Bench Reader', 'Bench Delegate'],
    application: { clientId: DEMO_APP.clientId, clientSecret: DEMO_APP.clientSecret },
  };
  roles.push(
    { name: 'Bench Reader', privileges: { prvReadUser: 'Global', prvReadTeam: 'Global', prvReadRole: 'Global', prvReadBusinessUnit: 'Global', prvReadAccount: 'Global', prvCreateAccount: 'Global' } },
    { name: 'Bench Delegate', privileges: { prvActOnBehalfOfAnotherUser: 'Global' } },
  );
  const users = Array.from({ length: USERS }, (_, i) => ({
    fullname: `User ${String(i + 1).padStart(4, '0')}`,
    email: `user${i + 1}@bench.example`,
    businessUnit: units[i % UNITS].name,
    roles: i % 10 === 9 ? [] : [roles[i % ROLES].name, ...(i % 3 === 0 ? [roles[(i * 7 + 1) % ROLES].name] : [])],
  }));
  const teams = Array.from({ length: TEAMS }, (_, i) => ({
    name: `Team ${i + 1}`,
    businessUnit: 'Bench',
    members: Array.from({ length: 25 }, (_, j) => users[(i * 50 + j * 3) % USERS].email),
    roles: [roles[(i * 3) % ROLES].name],
  }));
  return { organization: { name: 'Bench' }, businessUnits: units, roles, users: [app, ...users], teams };
}

/** How many enabled users hold prvReadAccount (directly or through a team), from the seed: what both must find. */
function expectedReaders() {
  const grants = new Set(seed.roles.filter((role) => role.privileges.prvReadAccount).map((role) => role.name));
  const holders = new Set();
  for (const user of seed.users) if (user.roles.some((role) => grants.has(role))) holders.add(user.email);
  for (const team of seed.teams) if (team.roles.some((role) => grants.has(role))) for (const member of team.members) holders.add(member);
  return holders.size;
}

/** The requests who-can needs, bare: roles granting it, each one's depths, users and teams holding them. */
async function baselineWhoCan({ call, all }) {
  const roles = (await call(`roles?$select=name,roleid&$filter=roleprivileges_association/any(p:p/name eq 'prvReadAccount')`)).value;
  const ids = roles.map((role) => role.roleid);
  const anyRole = (navigation) => `${navigation}/any(r:${ids.map((id) => `r/roleid eq ${id}`).join(' or ')})`;
  const [, users, teams] = await Promise.all([
    inParallel(ids, 8, (id) => call(`RetrieveRolePrivilegesRole(RoleId=${id})`)),
    all(`systemusers?$select=systemuserid,fullname,isdisabled,_businessunitid_value&$filter=${anyRole('systemuserroles_association')}&$expand=systemuserroles_association($select=name,roleid)`),
    all(`teams?$select=name,teamid,_businessunitid_value&$filter=${anyRole('teamroles_association')}&$expand=teamroles_association($select=name,roleid),teammembership_association($select=systemuserid,fullname,isdisabled,_businessunitid_value)`),
  ]);
  const found = new Set(users.map((user) => user.systemuserid));
  for (const team of teams) for (const member of team.teammembership_association) found.add(member.systemuserid);
  return found.size;
}

/** The requests `can create accounts --as` needs, bare. */
async function baselineCan({ call }, email) {
  const me = await call('WhoAmI');
  const [, found] = await Promise.all([
    call(`EntityDefinitions(LogicalName='account')?$select=LogicalName,OwnershipType,Privileges`),
    call(`systemusers?$select=systemuserid&$filter=internalemailaddress eq '${email}'`),
  ]);
  const ids = [me.UserId, found.value[0].systemuserid];
  const roleDepths =
    '<fetch><entity name="role"><attribute name="name"/><attribute name="roleid"/>' +
    '<link-entity name="roleprivileges" from="roleid" to="roleid" intersect="true" alias="rp"><attribute name="privilegedepthmask"/>' +
    '<link-entity name="privilege" from="privilegeid" to="privilegeid" alias="p"><attribute name="name"/><filter><condition attribute="name" operator="in"><value>prvCreateAccount</value><value>prvActOnBehalfOfAnotherUser</value></condition></filter></link-entity>' +
    '</link-entity></entity></fetch>';
  const [, roles] = await Promise.all([
    call(`systemusers?$select=systemuserid&$filter=${ids.map((id) => `systemuserid eq ${id}`).join(' or ')}&$expand=systemuserroles_association($select=name,roleid),teammembership_association($select=name,teamid;$expand=teamroles_association($select=name,roleid))`),
    call(`roles?fetchXml=${encodeURIComponent(roleDepths)}`),
  ]);
  return roles.value.length;
}

/** undici over keep-alive connections, nothing else: what any client must at least do. */
function bareClient(apiUrl, token) {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 30_000 });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0' };
  const call = async (path) => {
    const url = path.startsWith('http') ? path : `${apiUrl}${path.replace(/ /g, '%20')}`;
    const { statusCode, body } = await request(url, { dispatcher: agent, headers });
    const text = await body.text();
    if (statusCode !== 200) throw new Error(`${statusCode} for ${path}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const all = async (path) => {
    const rows = [];
    for (let next = path; next; ) {
      const page = await call(next);
      rows.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return rows;
  };
  return { call, all, close: () => agent.close() };
}

async function inParallel(items, size, work) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** A Node process (dvas, or the bare client), spawned as a person runs it; resolves with its stdout. */
async function spawnNode(args, okCodes = [0]) {
  const config = mkdtempSync(join(work, 'config-'));
  const env = {
    PATH: process.env.PATH,
    HOME: config,
    DVAS_CONFIG_DIR: join(config, 'dvas'),
    DVAS_URL: server.url,
    DVAS_ACCESS_TOKEN: server.token,
    NO_COLOR: '1',
    BENCH_API_URL: server.apiUrl,
    BENCH_TOKEN: server.token,
    BENCH_TARGET: target,
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  if (!okCodes.includes(code)) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

async function timed(work) {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function check(found, expected, what) {
  if (found !== expected) throw new Error(`${what} found ${found} users holding prvReadAccount; the seed gives ${expected}.`);
}

async function startServer(options) {
  const child = fork(join(ROOT, 'test', 'bench', 'serve-emulator.mjs'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = await once(child, 'message');
  return { child, ...message.ready };
}


function report(results) {
  const cpus = os.cpus();
  console.log(`Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, load ${os.loadavg()[0].toFixed(2)}; ${RUNS} runs each, medians.`);
  let failed = false;
  for (const result of results) {
    const dvas = median(result.dvas);
    const inProcess = median(result.inProcess);
    const spawned = median(result.spawned);
    const ok = dvas < result.target;
    failed ||= !ok;
    console.log(
      `${result.name}: dvas ${dvas.toFixed(0)} ms (runs ${result.dvas.map((ms) => ms.toFixed(0)).join(', ')}); ` +
        `bare requests from a spawned node ${spawned.toFixed(0)} ms, ratio ${(dvas / spawned).toFixed(2)}; ` +
        `bare requests in process ${inProcess.toFixed(0)} ms, ratio ${(dvas / inProcess).toFixed(1)}; target under ${result.target} ms: ${ok ? 'met' : 'MISSED'}`,
    );
  }
  if (failed) process.exitCode = 1;
}
