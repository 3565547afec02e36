import { execFile } from 'node:child_process';
import { systemClock, type Clock } from '../clock/clock.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseEnvironmentUrl } from '../http/environment-url.js';
import type { Profile } from '../profiles/types.js';
import type { AccessToken, TokenProvider } from './token-provider.js';
import type { Env } from './provider-options.js';
import { jsonSyntaxCause } from '../http/json-syntax.js';

const AZ_TIMEOUT_MS = 60_000;

/**
 * A token from the Azure CLI's own sign-in: `az account get-access-token --resource <environment>`.
 * az keeps and refreshes its tokens itself; dvas asks it once per run (again after a 401).
 */
export function azureCliProvider(profile: Profile, env: Env, platform: NodeJS.Platform = process.platform, clock: Clock = systemClock): TokenProvider {
  const environment = parseEnvironmentUrl(profile.url);
  let cached: AccessToken | undefined;
  return {
    async getToken(request = {}) {
      if (!cached || request.forceRefresh || cached.expiresOn.getTime() <= clock.now() + 60_000) {
        cached = await tokenFromAzureCli(environment.origin, profile.tenantId, env, platform, clock);
      }
      return cached;
    },
  };
}

async function tokenFromAzureCli(resource: string, tenantId: string | undefined, env: Env, platform: NodeJS.Platform, clock: Clock): Promise<AccessToken> {
  const args = ['account', 'get-access-token', '--resource', resource, '--output', 'json', ...(tenantId ? ['--tenant', tenantId] : [])];
  const stdout = await new Promise<string>((resolve, reject) => {
    // On Windows az is az.cmd, which only a shell can start. The arguments are a URL origin and a
    // tenant id, neither of which can carry shell syntax.
    execFile('az', args, { env: { ...env }, timeout: AZ_TIMEOUT_MS, shell: platform === 'win32', windowsHide: true }, (error, out, err) => {
      if (!error) return resolve(out);
      reject(azureCliError(error, err));
    });
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (cause) {
    throw new CliError('The Azure CLI answered with something that is not JSON.', { exitCode: ExitCode.Auth, cause: jsonSyntaxCause(cause) });
  }
  if (typeof parsed !== 'object' || parsed === null || !('accessToken' in parsed) || typeof parsed.accessToken !== 'string') {
    throw new CliError('The Azure CLI answered without an access token.', { exitCode: ExitCode.Auth });
  }
  return { token: parsed.accessToken, expiresOn: expiryOf(parsed, clock) };
}

/** az ≥ 2.54 gives `expires_on` (epoch seconds); older versions only `expiresOn` in local time. */
function expiryOf(answer: object, clock: Clock): Date {
  if ('expires_on' in answer && (typeof answer.expires_on === 'number' || typeof answer.expires_on === 'string')) {
    const seconds = Number(answer.expires_on);
    if (Number.isFinite(seconds)) return new Date(seconds * 1000);
  }
  if ('expiresOn' in answer && typeof answer.expiresOn === 'string') {
    const local = Date.parse(answer.expiresOn.replace(' ', 'T'));
    if (!Number.isNaN(local)) return new Date(local);
  }
  return new Date(clock.now() + 5 * 60_000);
}

function azureCliError(error: Error, stderr: string): CliError {
  if ('code' in error && error.code === 'ENOENT') {
    return new CliError('The Azure CLI (az) is not installed or not on the PATH.', {
      exitCode: ExitCode.Auth,
      hint: 'Install it (https://aka.ms/azure-cli), or pick another --auth kind.',
      cause: error,
    });
  }
  const firstLine = stderr.split(/\r?\n/).find((line) => line.trim())?.replace(/^ERROR:\s*/, '').trim();
  const signedOut = /az login|not logged in/i.test(stderr);
  return new CliError(`The Azure CLI could not give a token${firstLine ? `: ${firstLine}` : '.'}`, {
    exitCode: ExitCode.Auth,
    ...(signedOut ? { hint: 'Run az login (with --tenant if the environment is in another tenant).' } : {}),
    cause: error,
  });
}
