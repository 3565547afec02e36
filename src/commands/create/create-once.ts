import { randomUUID } from 'node:crypto';
import type { CreateOptions, CreateResult, DataverseClient } from '../../dataverse/client.js';
import { isAmbiguousWriteFailure, isDuplicateKey } from '../../dataverse/ambiguous-failure.js';
import { DataverseApiError } from '../../dataverse/errors.js';
import type { DataverseRecord } from '../../dataverse/odata.js';
import { CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';

/** Sends in all, the first included: an ambiguous failure three times running is not the network blinking. */
const MAX_SENDS = 4;

export interface CreateOnceOptions extends Omit<CreateOptions, 'id' | 'primaryIdAttribute'> {
  /** The table's key column: the row's id goes there before it is sent. */
  primaryIdAttribute: string;
  /** Who may read the row back to see whether it exists: the --as user first, then the signed-in identity. */
  readers: readonly DataverseClient[];
  /** Told when a send failed ambiguously and dvas looks for the row (for a note on stderr). */
  onAmbiguous?: (error: unknown, id: string) => void;
}

/**
 * One create, carried out exactly once (docs/bulk-create.md). The row gets its id before it is
 * sent (unless it names one). After an ambiguous failure (the connection closed after sending, a
 * timeout, a 502/503/504) dvas reads the row by that id: there, the create happened and its
 * answer was lost; not there (404), it is sent again. The key makes a second row impossible: a
 * resend that meets the row answers "duplicate key", which after an ambiguous failure means done.
 */
export async function createOnce(client: DataverseClient, entitySet: string, record: DataverseRecord, options: CreateOnceOptions): Promise<CreateResult> {
  const { primaryIdAttribute: key, readers, onAmbiguous, ...createOptions } = options;
  const given = record[key];
  const id = typeof given === 'string' ? given : randomUUID();
  const body = typeof given === 'string' ? record : { ...record, [key]: id };
  let maybeCreated = false;
  for (let send = 1; ; send++) {
    try {
      return await client.create(entitySet, body, { ...createOptions, primaryIdAttribute: key, id });
    } catch (error) {
      if (maybeCreated && isDuplicateKey(error)) {
        return found(id, await lookFor(readers, entitySet, id, key, createOptions, error), createOptions.returnRepresentation === true);
      }
      if (!isAmbiguousWriteFailure(error)) throw error;
      maybeCreated = true;
      onAmbiguous?.(error, id);
      const existing = await lookFor(readers, entitySet, id, key, createOptions, error);
      if (existing) return found(id, existing, createOptions.returnRepresentation === true);
      if (send >= MAX_SENDS) throw error;
    }
  }
}

function found(id: string, row: DataverseRecord | undefined, withRecord: boolean): CreateResult {
  return { id, ...(withRecord && row ? { record: row } : {}) };
}

/** The row with this id, as the readers see it; undefined when it does not exist (404). */
async function lookFor(
  readers: readonly DataverseClient[],
  entitySet: string,
  id: string,
  key: string,
  options: Omit<CreateOptions, 'id' | 'primaryIdAttribute'>,
  failure: unknown,
): Promise<DataverseRecord | undefined> {
  let lastError: unknown;
  for (const reader of readers) {
    try {
      return await reader.retrieve(entitySet, id, {
        ...(options.returnRepresentation ? (options.select ? { select: options.select } : {}) : { select: [key] }),
        ...(options.returnRepresentation && options.annotations ? { annotations: options.annotations } : {}),
      });
    } catch (error) {
      if (error instanceof DataverseApiError && error.status === 404) return undefined;
      // The --as user may not be allowed to read it: the signed-in identity may.
      lastError = error;
    }
  }
  const why = failure instanceof Error ? failure.message : String(failure);
  const cause = lastError instanceof Error ? lastError.message : String(lastError);
  throw new CliError(`The create of ${entitySet}(${id}) may have been carried out (${why.replace(/\.$/, '')}), and dvas could not check: ${cause}`, {
    exitCode: ExitCode.Failure,
    hint: `Check with dvas get ${entitySet} ${id}. Sending the same row again with "${key}": "${id}" cannot create a second one.`,
    cause: lastError,
  });
}
