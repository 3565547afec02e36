import { UsageError } from '../../errors.js';
import { GUID_PATTERN } from '../facts.js';
import type { Policy } from '../pipeline.js';
import { quote } from '../../output/terminal-text.js';

/**
 * Who a request runs as, once `--as` has been resolved:
 * - by Entra object id → `CallerObjectId` (Microsoft's preferred header, online users);
 * - by systemuserid → `MSCRMCallerID` (the legacy header; on-premises users have no object id).
 */
export type ImpersonationTarget = { kind: 'entra-object-id'; objectId: string } | { kind: 'systemuserid'; systemUserId: string };

const IMPERSONATION_HEADERS = ['CallerObjectId', 'MSCRMCallerID'] as const;

export function impersonationHeader(target: ImpersonationTarget): [name: string, value: string] {
  const [name, value] = target.kind === 'entra-object-id' ? ['CallerObjectId', target.objectId] : ['MSCRMCallerID', target.systemUserId];
  // The target's id goes into a header: anything but a GUID is a bug upstream, or an injection.
  if (!GUID_PATTERN.test(value)) throw new UsageError(`Cannot act as ${quote(value)}: the ${name} header takes a GUID.`);
  return [name, value];
}

/**
 * Adds the impersonation header to every request, except one that already names whom to act as
 * (the call knows best, as in gh's AddAuthTokenHeader) or that asks to run as the signed-in identity.
 */
export function impersonationPolicy(target: ImpersonationTarget): Policy {
  const [name, value] = impersonationHeader(target);
  return {
    name: 'impersonation',
    send(request, next) {
      if (request.skipImpersonation || IMPERSONATION_HEADERS.some((header) => request.headers.has(header))) return next(request);
      return next({ ...request, headers: request.headers.set(name, value) });
    },
  };
}
