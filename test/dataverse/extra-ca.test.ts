import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * Issue 4: the one undici dispatcher trusts the CAs in NODE_EXTRA_CA_CERTS, as a TLS-inspecting
 * proxy or an on-premises environment with a private CA needs. The real CLI talks HTTPS to a
 * forwarder whose certificate only the fixture CA (test/fixtures/tls/) vouches for.
 */
const TLS = join(ROOT, 'test', 'fixtures', 'tls');
const CA = join(TLS, 'ca.pem');

const emulator = useEmulator();

/** An HTTPS server on port 0 that forwards every request, as it is, to the emulator over plain HTTP. */
const forwarder: Server = createServer({ cert: readFileSync(join(TLS, 'server.pem')), key: readFileSync(join(TLS, 'server-key.pem')) }, (req, res) => {
  const target = new URL(emulator().url);
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
let httpsUrl = '';
let configDir = '';

beforeAll(async () => {
  ensureBuilt();
  configDir = await mkdtemp(join(tmpdir(), 'dvas-extra-ca-'));
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
}, 180_000);
afterAll(async () => {
  forwarder.closeAllConnections();
  await new Promise<void>((resolve) => forwarder.close(() => resolve()));
  await rm(configDir, { recursive: true, force: true });
});

/**
 * `dvas whoami` in a child whose environment is built from nothing: this machine's own
 * NODE_EXTRA_CA_CERTS, proxies or DVAS_* variables must not decide the outcome.
 */
function whoami(extra: Record<string, string>, args = ['-o', 'json']): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    DVAS_CONFIG_DIR: configDir,
    DVAS_URL: httpsUrl,
    // The audience is the emulator's own origin, which is what it checks; the forwarder passes Authorization on.
    DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.app),
    ...extra,
  };
  const child = spawn(process.execPath, [BIN, 'whoami', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timeout);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('NODE_EXTRA_CA_CERTS (real CLI over HTTPS)', () => {
  it('trusts a server certificate signed by the CA that NODE_EXTRA_CA_CERTS names', async () => {
    const run = await whoami({ NODE_EXTRA_CA_CERTS: CA });
    // The whole run in the diff when it fails: with -o json, an error is a JSON object on stdout.
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ UserId: user(emulator(), DEMO.app).systemuserid });
  });

  it('without it, the untrusted certificate is one sentence and a hint, exit 1, no stack trace', async () => {
    const host = new URL(httpsUrl).host;
    const hint = 'If a proxy or TLS inspection sits in between, set NODE_EXTRA_CA_CERTS to its CA certificate (a PEM file).';

    // -o json: the error is a JSON object on stdout.
    const json = await whoami({});
    expect(json.code).toBe(1);
    const { error } = JSON.parse(json.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toMatch(/^UNABLE_TO_/);
    expect(error).toMatchObject({ message: `Cannot open a trusted TLS connection to ${host} (${error.code}).`, hint });
    expect(json.stderr).not.toMatch(/\n\s+at /);

    // A person's output: the sentence and the hint on stderr, nothing on stdout.
    const text = await whoami({}, []);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain(`Cannot open a trusted TLS connection to ${host} (${error.code}).`);
    expect(text.stderr).toContain(hint);
    expect(text.stderr).not.toMatch(/\n\s+at /);
  });
});
