import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/dataverse/errors.js';
import { ExitCode } from '../../src/exit-codes.js';
import { errors, ODataError } from '../../src/emulator/http/errors.js';

/**
 * The emulator keeps its own copy of Dataverse's error codes on purpose (it is the independent
 * check of the CLI), so the two can drift apart. This test runs every error the emulator's Web API
 * can answer through the CLI's `exitCodeFor` and compares it with the exit code a script should
 * see, written out here. A new emulator error fails this test until someone decides its exit code.
 */
const EXPECTED: Record<string, ExitCode> = {
  resourceNotFoundForSegment: ExitCode.NotFound,
  noHttpResource: ExitCode.NotFound,
  rowNotFound: ExitCode.NotFound,
  bulkRowNotFound: ExitCode.NotFound,
  propertyNotFound: ExitCode.Usage,
  attributeNotFound: ExitCode.Usage,
  entityMetadataNotFound: ExitCode.NotFound,
  queryEntityNotFound: ExitCode.Usage,
  tooManyLinkEntities: ExitCode.Usage,
  notEmulated: ExitCode.Failure,
  queryNotSupported: ExitCode.Usage,
  invalidPropertyInPayload: ExitCode.Usage,
  payload: ExitCode.Usage,
  invalidJson: ExitCode.Usage,
  undeclaredAnnotatedProperty: ExitCode.Usage,
  invalidBindUrl: ExitCode.Usage,
  invalidArgument: ExitCode.Usage,
  keyMismatch: ExitCode.Usage,
  keyNotFound: ExitCode.NotFound,
  duplicateEntityKey: ExitCode.Failure,
  badQuery: ExitCode.Usage,
  duplicateKey: ExitCode.Failure,
  bulkDuplicateKey: ExitCode.Failure,
  versionMismatch: ExitCode.Conflict,
  valueNotConvertible: ExitCode.Usage,
  unexpectedJsonNode: ExitCode.Usage,
  primitiveForNavigation: ExitCode.Usage,
  unresolvedTypeName: ExitCode.Usage,
  incompatibleEntityType: ExitCode.Usage,
  missingTargetType: ExitCode.Usage,
  unknownActionParameter: ExitCode.Usage,
  missingActionParameter: ExitCode.Usage,
  stringTooLong: ExitCode.Usage,
  optionOutOfRange: ExitCode.Usage,
  messageNotSupported: ExitCode.Usage,
  targetPrincipalLacksRead: ExitCode.PrivilegeDenied,
  cannotAddOrRemoveActOnBehalfPrivilege: ExitCode.PrivilegeDenied,
  invalidEntityReferenceLink: ExitCode.Usage,
  entityReferenceWrittenDirectly: ExitCode.Usage,
  duplicateAssociation: ExitCode.Failure,
  cannotActOnBehalf: ExitCode.PrivilegeDenied,
  userDisabled: ExitCode.PrivilegeDenied,
  callerDisabled: ExitCode.Auth,
  notMemberOfOrganization: ExitCode.PrivilegeDenied,
  privilegeDenied: ExitCode.PrivilegeDenied,
  notSupported: ExitCode.Failure,
  methodNotAllowed: ExitCode.Failure,
  payloadTooLarge: ExitCode.Failure,
  urlTooLong: ExitCode.Failure,
  unauthorized: ExitCode.Auth,
  requestLimitExceeded: ExitCode.Throttled,
  executionTimeExceeded: ExitCode.Throttled,
  concurrencyLimitExceeded: ExitCode.Throttled,
  serviceUnavailable: ExitCode.Failure,
  unexpected: ExitCode.Failure,
  malformedBatch: ExitCode.Usage,
  contentIdNotFound: ExitCode.Usage,
  batchStreamNotReadable: ExitCode.Usage,
};

/** An argument every factory accepts: it reads as a string, a number and a list. */
const ANY_ARGUMENT = Object.assign([1], { toString: () => 'x' });

function answerOf(name: string): ODataError {
  const factory = (errors as unknown as Record<string, (...args: unknown[]) => ODataError>)[name]!;
  return factory(...Array.from({ length: Math.max(factory.length, 4) }, () => ANY_ARGUMENT));
}

describe("every error the emulator answers, through the CLI's exitCodeFor", () => {
  const names = Object.keys(errors);

  it('has an expected exit code written out for each', () => {
    expect(names.filter((name) => !(name in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((name) => !names.includes(name))).toEqual([]);
  });

  it.each(names.filter((name) => name in EXPECTED))('%s', (name) => {
    const answer = answerOf(name);
    expect(answer).toBeInstanceOf(ODataError);
    expect(exitCodeFor(answer.status, answer.code)).toBe(EXPECTED[name]);
  });
});
