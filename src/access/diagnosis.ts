import type { Depth } from './depth.js';
import type { Holds } from './verdict.js';

/**
 * What dvas found out about a privilege denial (0x80040220, 0x8004A110), shown under the service's
 * own error: as lines on stderr, as `error.diagnosis` with -o json (schemas/error.schema.json).
 * `unavailable` when the diagnosis's own requests failed or the message names nothing to check;
 * `skipped` under --no-diagnose, or when --dry-run had already printed its request and stopped. Either way the original error stands as it was.
 */
export type Diagnosis = DiagnosisFound | DiagnosisMissing;

export interface DiagnosisMissing {
  status: 'unavailable' | 'skipped';
  /** One sentence: why there is no diagnosis. */
  reason: string;
}

export interface DiagnosedPrincipal {
  /** `signed-in`: whom the token belongs to; `acted-as`: the --as user. */
  role: 'signed-in' | 'acted-as';
  id: string;
  label: string;
  holds: Holds;
  /** The deepest depth it holds the privilege at; null when it lacks it or dvas could not tell. */
  depth: Depth | null;
  /** Every role that grants it, deepest first; `team` when the role comes through a team. */
  grants: Array<{ role: string; depth: Depth; team: string | null }>;
}

export interface DiagnosisFound {
  status: 'diagnosed';
  /** 0x80040220 or 0x8004A110. */
  kind: 'privilege-denied' | 'cannot-act-on-behalf';
  /** The privilege the denial is about. */
  privilege: string;
  /** Whether the request that failed ran as another user (--as). */
  impersonating: boolean;
  /** What the service's message says (docs/dataverse-errors.md), as parsed. */
  message: {
    template: string | null;
    /** The principal it names; under --as the user acted as, whoever lacks the privilege. */
    principal: { kind: 'user' | 'team'; id: string } | null;
    entity: string | null;
  };
  /** Who really lacks what: the privilege altogether (`holds` null), or a deeper depth (`needs`). */
  lacking: Array<{ id: string; label: string; privilege: string; holds: Depth | null; needs: Depth | null }>;
  principals: DiagnosedPrincipal[];
  /** The row the failed request addressed, when it did and dvas could read it. */
  record: {
    table: string;
    id: string;
    name: string | null;
    owner: { id: string; kind: 'systemuser' | 'team'; name: string | null } | null;
    reached: Holds;
    /** The depth that would reach it; null when none would. */
    neededDepth: Depth | null;
  } | null;
  /** The roles of the organisation that grant the privilege, by name. */
  grantingRoles: string[];
  /** The diagnosis in sentences, the answer first. */
  lines: string[];
}
