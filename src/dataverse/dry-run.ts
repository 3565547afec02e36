import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { REDACTED, sanitizeHeaders, sanitizeUrl } from '../http/sanitizer.js';
import { formatDocument } from '../output/document.js';
import type { PipelineRequest, Policy, SendRequest } from './pipeline.js';

/**
 * How --dry-run runs (docs/dry-run.md). Without --offline the read-only lookups a request needs
 * first (the --as user, the table's definition) are sent for real, and the first request that is
 * not one is printed instead of sent; with --offline nothing at all is sent, and the first request,
 * lookup or not, is the one printed.
 */
export interface DryRunSettings {
  offline: boolean;
  /** `http`: the request as an HTTP message; `json`/`ndjson` (an explicit -o): the dry-run document (schemas/dry-run.schema.json). */
  format: DryRunFormat;
  /**
   * The lookups sent so far: one list for the whole run, so that every client of it (a bulk
   * create has one per user) puts its lookups in the same document. A new list when not given.
   */
  lookups?: DryRunLookup[];
  /**
   * Hands the request over instead of printing it, for a command that prints several in one
   * answer (a bulk create: its plan and each user's first request). The gate still stops.
   */
  collect?: (request: PipelineRequest) => void;
}

export type DryRunFormat = 'http' | 'json' | 'ndjson';

const NOT_SENT = 'Dry run: the request above was not sent.';
const OFFLINE_LOOKUP =
  'Dry run (--offline): the lookup above was not sent, and without its answer dvas cannot build the request of the operation itself; ' +
  'run without --offline to let dvas make the read-only lookups and show that request.';

/**
 * What the dry-run gate throws instead of sending the request it printed, and for every request
 * after it (a parallel one, say). It is a CliError with exit code 0: main's error path takes that
 * for a deliberate stop, not a failure, and writes its message (the note that the request was not
 * sent, or why an offline dry run stopped at a lookup) on stderr. Nothing after the printed
 * request can run: there is no response to go on.
 */
export class DryRunStop extends CliError {
  constructor(message: string = NOT_SENT) {
    super(message, { exitCode: ExitCode.Ok });
    this.name = 'DryRunStop';
  }
}

/** A lookup --dry-run sent for real: a GET, read-only. */
export interface DryRunLookup {
  method: string;
  url: string;
}

/** The --dry-run document of -o json (schemas/dry-run.schema.json). */
export interface DryRunDocument {
  dryRun: true;
  offline: boolean;
  lookups: DryRunLookup[];
  requests: Array<{ kind: 'operation' | 'lookup'; method: string; url: string; headers: Record<string, string>; body: string | null }>;
  /** Only a bulk create's dry run: its plan; `requests` then holds each user's first request. */
  plan?: BulkPlanDocument;
}

/** A bulk create's plan in the document (src/commands/create/bulk/dry-run-plan.ts builds it). */
export interface BulkPlanDocument {
  rows: number;
  entitySet: string;
  batchSize: number;
  concurrency: number;
  /** `flag`: --concurrency; `hint`: the service's x-ms-dop-hint; `default`: 4, until the service hints. */
  concurrencySource: 'flag' | 'hint' | 'default';
  /** Per user, in the order first met; `user` as the input or --as named them, null for the signed-in identity. */
  users: Array<{ user: string | null; rows: number; requests: number; firstReadBack: boolean }>;
}

/**
 * The --dry-run gate, placed after the policies that shape a request (user agent, OData headers,
 * impersonation) and before those that send it (retry, auth, logging). A GET the client marked as
 * a lookup (`DataverseClient.lookups()`) goes on to be sent, unless offline; anything else (a
 * write, a POST-bound action, a $batch, or the read a command was asked for) is printed and the run
 * stops. The marking is on lookups, not on operations, so that a request nobody marked is printed,
 * never sent.
 */
export function dryRunPolicy(settings: DryRunSettings, io: { stdout(text: string): void; stderr(text: string): void }): Policy {
  const lookups: DryRunLookup[] = settings.lookups ?? [];
  // Set once a request is printed. A command that sends requests in parallel (can, compare,
  // roles --effective) would otherwise print each: the first one printed is the dry run's answer,
  // and every request after it, lookup or not, stops without printing or sending anything.
  let stopped = false;
  return {
    name: 'dry-run',
    send(request, next) {
      if (stopped) throw new DryRunStop();
      const isLookup = request.lookup === true && request.method === 'GET';
      if (isLookup && !settings.offline) {
        const lookup = { method: request.method, url: sanitizeUrl(request.url) };
        lookups.push(lookup);
        io.stderr(`Dry run: looking up ${lookup.method} ${lookup.url}\n`);
        return next(request);
      }
      stopped = true;
      const kind = isLookup ? 'lookup' : 'operation';
      if (settings.collect) settings.collect(request);
      else if (settings.format === 'http') io.stdout(formatRequest(request));
      else io.stdout(formatDocument({ dryRun: true, offline: settings.offline, lookups, requests: [describeRequest(request, kind)] } satisfies DryRunDocument, settings.format));
      throw new DryRunStop(isLookup ? OFFLINE_LOOKUP : NOT_SENT);
    },
  };
}

/** The transport behind the gate under --offline: never reached, since the gate sends nothing. */
export const sendNothing: SendRequest = async () => {
  throw new Error('dvas --dry-run --offline tried to send a request.');
};

/** The headers as they would leave, Authorization standing for the bearer token (never shown). */
function printedHeaders(request: PipelineRequest): Array<[string, string]> {
  const headers = [...request.headers.entries()].filter(([name]) => name.toLowerCase() !== 'authorization');
  return sanitizeHeaders([...headers, ['Authorization', REDACTED]]);
}

/**
 * The request as an HTTP message. Its URL goes through the sanitizer --verbose uses, like its
 * headers: OData's own query options ($select, $filter, @p1 aliases) are shown as sent, any other
 * query value reads REDACTED (docs/dry-run.md, "Output").
 */
export function formatRequest(request: PipelineRequest): string {
  const lines = [`${request.method} ${sanitizeUrl(request.url)}`, ...printedHeaders(request).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\n')}\n${request.body === undefined ? '' : `\n${request.body}\n`}`;
}

/** The request as the document lists it (schemas/dry-run.schema.json, requests[]). */
export function describeRequest(request: PipelineRequest, kind: 'operation' | 'lookup'): DryRunDocument['requests'][number] {
  return { kind, method: request.method, url: sanitizeUrl(request.url), headers: Object.fromEntries(printedHeaders(request)), body: request.body ?? null };
}
