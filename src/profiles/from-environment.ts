import { ConfigError } from '../errors.js';
import { buildProfile, CLIENT_ID_USE, type BuiltProfile, type InputLabels } from './build.js';
import type { AuthKind } from './types.js';
import { checkAuthKind, type Checked } from './validate.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The name a profile made from environment variables goes by in messages and `profile show`. */
export const ENVIRONMENT_PROFILE_NAME = 'environment';

/** Which variable feeds which profile field; the README's CI section lists the same. */
export const ENVIRONMENT_LABELS: InputLabels = {
  name: 'the environment profile',
  url: 'DVAS_URL',
  auth: 'DVAS_AUTH',
  tenantId: 'AZURE_TENANT_ID',
  clientId: 'AZURE_CLIENT_ID',
  // Azure SDKs read one PEM holding certificate and key from this variable; dvas does too,
  // unless DVAS_CLIENT_KEY_PATH names the key separately.
  certificatePath: 'AZURE_CLIENT_CERTIFICATE_PATH',
  keyPath: 'DVAS_CLIENT_KEY_PATH',
  authority: 'DVAS_AUTHORITY',
  apiVersion: 'DVAS_API_VERSION',
};

/** Empty variables count as unset: CI systems often define a variable to an empty string. */
function variable(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Without DVAS_AUTH, the credential present decides, in the order Azure's EnvironmentCredential and
 * DefaultAzureCredential try them; an explicit DVAS_ACCESS_TOKEN beats them all.
 */
const INFERRED_KINDS: ReadonlyArray<{ kind: AuthKind; variables: readonly string[] }> = [
  { kind: 'token', variables: ['DVAS_ACCESS_TOKEN'] },
  { kind: 'client-secret', variables: ['AZURE_CLIENT_SECRET', 'DVAS_CLIENT_SECRET'] },
  { kind: 'certificate', variables: ['AZURE_CLIENT_CERTIFICATE_PATH'] },
  { kind: 'workload-identity', variables: ['AZURE_FEDERATED_TOKEN_FILE'] },
];

function authKind(env: Env): string {
  const explicit = variable(env, 'DVAS_AUTH');
  if (explicit !== undefined) return explicit;
  const inferred = INFERRED_KINDS.find(({ variables }) => variables.some((name) => variable(env, name) !== undefined));
  if (inferred) return inferred.kind;
  throw new ConfigError('DVAS_URL is set, but neither DVAS_AUTH nor a credential variable is.', {
    hint: 'Set DVAS_AUTH, or one of DVAS_ACCESS_TOKEN, AZURE_CLIENT_SECRET (or DVAS_CLIENT_SECRET), AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE.',
  });
}

/**
 * A profile made wholly from the environment (DVAS_URL plus the AZURE_* variables), so a CI job needs
 * no profiles file and parallel jobs share no state. Undefined when DVAS_URL is not set. Secrets are
 * only looked at to infer the kind: the sign-in layer reads them when it needs them.
 */
export function profileFromEnvironment(env: Env, checkFile: (raw: string) => Checked<string>): BuiltProfile | undefined {
  const url = variable(env, 'DVAS_URL');
  if (url === undefined) return undefined;
  const auth = authKind(env);
  // An unknown DVAS_AUTH gets its error from buildProfile; until then it selects no optional fields.
  const checkedKind = checkAuthKind(auth);
  const kind = checkedKind.ok ? checkedKind.value : undefined;
  const certificatePath = variable(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
  return buildProfile(
    {
      name: ENVIRONMENT_PROFILE_NAME,
      url,
      auth,
      tenantId: variable(env, 'AZURE_TENANT_ID'),
      // Variables meant for other tools may be set too: take only what this kind of sign-in uses.
      clientId: kind && CLIENT_ID_USE[kind] !== 'unused' ? variable(env, 'AZURE_CLIENT_ID') : undefined,
      certificatePath: kind === 'certificate' ? certificatePath : undefined,
      keyPath: kind === 'certificate' ? (variable(env, 'DVAS_CLIENT_KEY_PATH') ?? certificatePath) : undefined,
      authority: variable(env, 'DVAS_AUTHORITY'),
      apiVersion: variable(env, 'DVAS_API_VERSION'),
    },
    { labels: ENVIRONMENT_LABELS, fail: (message) => new ConfigError(message), checkFile },
  );
}
