/**
 * Every error the emulator's Web API answers with, in Dataverse's OData error shape
 * (`{"error":{"code","message"}}`), with the codes and message templates of the real service
 * (shared reference §3.3, §4, §5.5, §6). Handlers throw these; the dispatcher renders them.
 */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The SDK fault name, reported as ApiExceptionMessageName when error annotations are asked for. */
    readonly messageName: string = '',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ODataError';
  }
}

const PAYLOAD_HELP = 'https://go.microsoft.com/fwlink/?linkid=2195293';

export const errors = {
  resourceNotFoundForSegment(segment: string): ODataError {
    return new ODataError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`, 'ResourceNotFound');
  },

  noHttpResource(requestUri: string): ODataError {
    return new ODataError(404, '', `No HTTP resource was found that matches the request URI '${requestUri}'.`);
  },

  rowNotFound(logicalName: string, id: string): ODataError {
    return new ODataError(404, '0x80040217', `Entity '${logicalName}' With Id = ${id} Does Not Exist`, 'ObjectDoesNotExist');
  },

  propertyNotFound(property: string, logicalName: string): ODataError {
    return new ODataError(
      400,
      '0x0',
      `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`,
    );
  },

  invalidPropertyInPayload(property: string, logicalName: string): ODataError {
    return new ODataError(
      400,
      '0x0',
      `An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${property}' was found in entity 'Microsoft.Dynamics.CRM.${logicalName}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.`,
    );
  },

  /** ODataClientPayloadError: the body could not be read as the entity (bad JSON, bad annotation, bad value). */
  payload(entitySetName: string, inner: string): ODataError {
    return new ODataError(
      400,
      '0x80048d19',
      `Error identified in Payload provided by the user for Entity :'${entitySetName}', For more information on this error please follow this help link ${PAYLOAD_HELP}  ---->  InnerException : ${inner}`,
      'ODataClientPayloadError',
    );
  },

  invalidJson(entitySetName: string, detail: string): ODataError {
    return errors.payload(entitySetName, `Microsoft.OData.ODataException: Invalid JSON. ${detail}`);
  },

  undeclaredAnnotatedProperty(entitySetName: string, property: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: An undeclared property '${property}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
    );
  },

  invalidBindUrl(url: string, property: string): ODataError {
    return new ODataError(400, '0x80090800', `Invalid url value '${url}' for lookup property '${property}'.`, 'InvalidUrlForODataBindProperty');
  },

  invalidArgument(message: string): ODataError {
    return new ODataError(400, '0x80040203', message, 'InvalidArgument');
  },

  /** A malformed query option ($filter, $orderby, $select…): the parser's message, code 0x0. */
  badQuery(message: string): ODataError {
    return new ODataError(400, '0x0', message);
  },

  duplicateKey(): ODataError {
    return new ODataError(412, '0x80040237', 'A record with matching key values already exists.', 'DuplicateRecord');
  },

  versionMismatch(): ODataError {
    return new ODataError(
      412,
      '0x80060882',
      "The version of the existing record doesn't match the RowVersion property provided.",
      'ConcurrencyVersionMismatch',
    );
  },

  cannotActOnBehalf(): ODataError {
    return new ODataError(
      403,
      '0x8004A110',
      'User does not have the privilege to act on behalf another user.',
      'CannotActOnBehalfOfAnotherUser',
    );
  },

  userDisabled(userId: string): ODataError {
    return new ODataError(
      403,
      '0x80040225',
      `The specified user(Id = ${userId}) is disabled. Consider enabling this user. Additional Details: The user with SystemUserId=${userId} is disabled. Disabled users cannot access the system.`,
      'unManagedidsusernotenabled',
    );
  },

  callerDisabled(): ODataError {
    return new ODataError(401, '0x8004A112', 'The system user was disabled therefore the ticket expired.', 'SystemUserDisabled');
  },

  notMemberOfOrganization(): ODataError {
    return new ODataError(403, '0x80072560', 'The user is not a member of the organization.', 'UserNotMemberOfOrg');
  },

  /** PrivilegeDenied with the current "Principal user (…) is missing prv… privilege" text (reference §5.5). */
  privilegeDenied(message: string): ODataError {
    return new ODataError(403, '0x80040220', message, 'PrivilegeDenied');
  },

  notSupported(message = 'This action is not supported.'): ODataError {
    return new ODataError(405, '0x80040315', message, 'NotSupported');
  },

  methodNotAllowed(requestUri: string): ODataError {
    return new ODataError(405, '', `The requested resource does not support http method on '${requestUri}'.`);
  },

  payloadTooLarge(): ODataError {
    return new ODataError(413, '0x80048d19', 'Request message size exceeded the maximum allowed.', 'ODataClientPayloadError');
  },

  urlTooLong(): ODataError {
    return new ODataError(414, '0x0', 'The request URL is too long.');
  },

  /** 401 with the bearer challenge that tells clients which authority (and so which tenant) to use. */
  unauthorized(authorizationUri: string, resourceId: string, message = 'Bearer token is missing or invalid.'): ODataError {
    return new ODataError(401, '', message, 'RequestIsNotAuthenticated', {
      'WWW-Authenticate': `Bearer authorization_uri=${authorizationUri}, resource_id=${resourceId}`,
    });
  },

  /** Service protection, request count (reference §6.3): the limit is printed without a thousands separator. */
  requestLimitExceeded(limit: number, windowSeconds: number, retryAfterSeconds: number): ODataError {
    return new ODataError(
      429,
      '0x80072322',
      `Number of requests exceeded the limit of ${limit} over time window of ${windowSeconds} seconds.`,
      'ThrottlingBurstRequestLimitExceededError',
      { 'Retry-After': String(retryAfterSeconds) },
    );
  },

  /** Service protection, combined execution time: thousands separator and the double space are the service's. */
  executionTimeExceeded(limitMs: number, windowSeconds: number, retryAfterSeconds: number): ODataError {
    return new ODataError(
      429,
      '0x80072321',
      `Combined execution time of incoming requests exceeded limit of ${limitMs.toLocaleString('en-US')}  milliseconds over time window of ${windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
      'ThrottlingTimeExceededError',
      { 'Retry-After': String(retryAfterSeconds) },
    );
  },

  concurrencyLimitExceeded(limit: number, retryAfterSeconds: number): ODataError {
    return new ODataError(
      429,
      '0x80072326',
      `Number of concurrent requests exceeded the limit of ${limit}.`,
      'ThrottlingConcurrencyLimitExceededError',
      { 'Retry-After': String(retryAfterSeconds) },
    );
  },

  /** 503: the reference gives the status only; code and message are the emulator's choice (docs/emulator-decisions.md). */
  serviceUnavailable(): ODataError {
    return new ODataError(503, '', 'Service Unavailable');
  },

  unexpected(): ODataError {
    return new ODataError(500, '0x80040216', 'An unexpected error occurred.', 'UnExpected');
  },

  /** A $batch body that cannot be read (the message is the batch reader's, see batch/syntax-error.ts). */
  malformedBatch(message: string): ODataError {
    return new ODataError(400, '0x0', message);
  },

  /** A `$n` in a $batch request that no earlier request of its change set declared (reference §4.3). */
  contentIdNotFound(reference: string): ODataError {
    return new ODataError(400, '0x0', `Content-ID Reference: '${reference}' does not exist in the batch context.`);
  },

  /** A $batch request written with LF line endings: the service cannot read its body (reference §4.3). */
  batchStreamNotReadable(entitySetName: string): ODataError {
    return errors.payload(entitySetName, 'System.ArgumentException: Stream was not readable.');
  },
};
