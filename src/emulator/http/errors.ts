/**
 * Every error the emulator's Web API answers with, in Dataverse's OData error shape
 * (`{"error":{"code","message"}}`), with the codes and message templates of the real service
 * (docs/dataverse-web-api.md §3.3, §4, §5.5, §6). Handlers throw these; the dispatcher renders them.
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

  /** UpdateMultiple's missing Target, in the wording of bulk-operations' troubleshooting list ("Contact With Ids = <guid> Do Not Exist"). */
  bulkRowNotFound(schemaName: string, id: string): ODataError {
    return new ODataError(404, '0x80040217', `${schemaName} With Ids = ${id} Do Not Exist`, 'ObjectDoesNotExist');
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

  /** QueryBuilderNoAttribute: a query function's PropertyName that the table does not have. */
  attributeNotFound(logicalName: string, attribute: string): ODataError {
    return new ODataError(
      400,
      '0x80041103',
      `'${logicalName}' entity doesn't contain attribute with Name = '${attribute}' and NameMapping = 'Logical'.`,
      'QueryBuilderNoAttribute',
    );
  },

  /** QueryBuilderNoEntity: a table logical name the metadata does not know (EntityDefinitions). */
  entityMetadataNotFound(logicalName: string): ODataError {
    return new ODataError(
      404,
      '0x80041102',
      `The entity with a name = '${logicalName}' with namemapping = 'Logical' was not found in the MetadataCache.`,
      'QueryBuilderNoEntity',
    );
  },

  /** QueryBuilderNoEntity in a query a request carries (BulkDelete's QuerySet): a 400, the query being the request's input. */
  queryEntityNotFound(logicalName: string): ODataError {
    const known = errors.entityMetadataNotFound(logicalName);
    return new ODataError(400, known.code, known.message, known.messageName);
  },

  /** TooManyLinkEntitiesInQuery: more than 15 joins ($expand items) in one query. */
  tooManyLinkEntities(): ODataError {
    return new ODataError(400, '0x8004430D', 'Number of link entities in query exceeded maximum limit.', 'TooManyLinkEntitiesInQuery');
  },

  /**
   * Something the service does that the emulator does not: refused, never answered as if the
   * request were another (a query option left out would look like a valid answer).
   */
  notEmulated(what: string): ODataError {
    return new ODataError(
      501,
      '0x80040315',
      `Not emulated: ${what}. The dvas emulator does not implement it, so it refuses the request rather than answer as if it had not been asked.`,
      'NotSupported',
    );
  },

  /** A query option or shape Dataverse's Web API refuses (`$skip`, nested $top with $expand…): code 0x80060888. */
  queryNotSupported(message: string): ODataError {
    return new ODataError(400, '0x80060888', message);
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

  /**
   * A key segment naming a key the table does not declare (an alternate key the emulator does not
   * define): ODataLib's message, as Microsoft's alternate-key page quotes it.
   */
  keyMismatch(logicalName: string): ODataError {
    const type = `Microsoft.Dynamics.CRM.${logicalName}`;
    return new ODataError(
      400,
      '0x0',
      `The key in the request URI is not valid for resource '${type}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource '${type}'.`,
    );
  },

  /** A valid alternate key that names no row (observed text; docs/emulator-decisions.md). */
  keyNotFound(logicalName: string): ODataError {
    return new ODataError(
      404,
      '0x80048d02',
      `A record with the specified key values does not exist in ${logicalName} entity`,
      'RecordNotFoundByEntityKey',
    );
  },

  /** DuplicateRecordEntityKey: a create or update that would give two rows the same alternate key values. */
  duplicateEntityKey(keyDisplayName: string, columns: string): ODataError {
    return new ODataError(
      412,
      '0x80060892',
      `Entity Key ${keyDisplayName} violated. A record with the same value for ${columns} already exists. A duplicate record cannot be created. Select one or more unique values and try again.`,
      'DuplicateRecordEntityKey',
    );
  },

  /** A malformed query option ($filter, $orderby, $select…): the parser's message, code 0x0. */
  badQuery(message: string): ODataError {
    return new ODataError(400, '0x0', message);
  },

  duplicateKey(): ODataError {
    return new ODataError(412, '0x80040237', 'A record with matching key values already exists.', 'DuplicateRecord');
  },

  /**
   * A CreateMultiple Target whose key is already taken (another row, or an earlier Target of the
   * same request): the whole request fails with the SQL text Microsoft's bulk-operations
   * troubleshooting list gives. Status and code are not documented (docs/emulator-decisions.md).
   */
  bulkDuplicateKey(): ODataError {
    return new ODataError(412, '0x80040237', 'Cannot insert duplicate key.', 'DuplicateRecord');
  },

  versionMismatch(): ODataError {
    return new ODataError(
      412,
      '0x80060882',
      "The version of the existing record doesn't match the RowVersion property provided.",
      'ConcurrencyVersionMismatch',
    );
  },

  /** A JSON value that cannot be read as the column's type, in Microsoft.OData's words inside the payload error. */
  valueNotConvertible(entitySetName: string, literal: string, edmType: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: Cannot convert the literal '${literal}' to the expected type '${edmType}'.`,
    );
  },

  /** A JSON node of the wrong kind (an array where an entity object belongs, an object for a string column…). */
  unexpectedJsonNode(entitySetName: string, found: string, expected: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: An unexpected '${found}' node was found when reading from the JSON reader. A '${expected}' node was expected.`,
    );
  },

  /** A primitive value (other than null) given to a single-valued navigation property. */
  primitiveForNavigation(entitySetName: string, targetLogicalName: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: A primitive value was specified; however, a value of the non-primitive type 'Microsoft.Dynamics.CRM.${targetLogicalName}' was expected.`,
    );
  },

  /** An `@odata.type` naming no type of the model. */
  unresolvedTypeName(entitySetName: string, typeName: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: A type named '${typeName}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`,
    );
  },

  /** Modelled (docs/emulator-decisions.md): an `@odata.type` naming another table than the one written. */
  incompatibleEntityType(entitySetName: string, found: string, expected: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: A resource with type 'Microsoft.Dynamics.CRM.${found}' was found, but it is not assignable to the expected type 'Microsoft.Dynamics.CRM.${expected}'. The type specified in the resource must be equal to either the expected type or a derived type.`,
    );
  },

  /** Modelled (docs/emulator-decisions.md): a CreateMultiple Target without the `@odata.type` the docs require. */
  missingTargetType(entitySetName: string, index: number): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: The item at index ${index} of the 'Targets' parameter has no '@odata.type' annotation. Every item in Targets must name its entity type, e.g. "@odata.type": "Microsoft.Dynamics.CRM.<logicalname>".`,
    );
  },

  /** An action parameter the operation does not declare (Microsoft.OData's wording). */
  unknownActionParameter(entitySetName: string, parameter: string, action: string): ODataError {
    return errors.payload(
      entitySetName,
      `Microsoft.OData.ODataException: The parameter '${parameter}' in the request payload is not a valid parameter for the operation '${action}'.`,
    );
  },

  missingActionParameter(parameter: string, action: string): ODataError {
    return errors.invalidArgument(`Required field '${parameter}' is missing for RequestName='${action}'`);
  },

  /** StringLengthTooLong, with the runtime text that names the column and its limit. */
  stringTooLong(attribute: string, logicalName: string, maxLength: number): ODataError {
    return new ODataError(
      400,
      '0x80044331',
      `A validation error occurred.  The length of the '${attribute}' attribute of the '${logicalName}' entity exceeded the maximum allowed length of '${maxLength}'.`,
      'StringLengthTooLong',
    );
  },

  /** A choice (picklist/state/status) value that is not one of the column's options. */
  optionOutOfRange(value: number, attribute: string, logicalName: string, accepted: readonly number[]): ODataError {
    return new ODataError(
      400,
      '0x8004431a',
      `A validation error occurred. The value ${value} of '${attribute}' on record of type '${logicalName}' is outside the valid range. Accepted Values: ${accepted.join(',')}`,
    );
  },

  /** SdkEntityDoesNotSupportMessage: the table has no such message (CreateMultiple on privilege, Delete on systemuser…). */
  messageNotSupported(message: string, logicalName: string): ODataError {
    return new ODataError(
      400,
      '0x80040800',
      `The '${message}' method does not support entities of type '${logicalName}'. MessageProcessorCache returned MessageProcessor.Empty.`,
      'SdkEntityDoesNotSupportMessage',
    );
  },

  targetPrincipalLacksRead(): ODataError {
    return new ODataError(
      403,
      '0x80040299',
      'Target user or team does not hold the required read privilege to own the record.',
      'TargetPrincipalLacksReadPrivilege',
    );
  },

  cannotAddOrRemoveActOnBehalfPrivilege(): ODataError {
    return new ODataError(
      403,
      '0x8004Ed43',
      'Act on Behalf of Another User privilege cannot be added or removed.',
      'CannotAddOrActonBehalfAnotherUserPrivilege',
    );
  },

  /** Modelled (docs/emulator-decisions.md): a `$ref` body or `$id` that names no row of the navigation's table. */
  invalidEntityReferenceLink(entitySetName: string, detail: string): ODataError {
    return errors.payload(entitySetName, `Microsoft.OData.ODataException: ${detail}`);
  },

  /** A lookup's read-only `_x_value` property in a create/update body: lookups are written through navigation properties. */
  entityReferenceWrittenDirectly(): ODataError {
    return new ODataError(400, '0x80060888', 'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.');
  },

  /** An N:N pair that is already associated: the intersect row's key is violated. */
  duplicateAssociation(): ODataError {
    return new ODataError(412, '0x80040237', 'Cannot insert duplicate key.', 'DuplicateRecord');
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

  /** PrivilegeDenied with the current "Principal user (…) is missing prv… privilege" text (docs/dataverse-web-api.md §5.5). */
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

  /** Service protection, request count (docs/dataverse-web-api.md §6.3): the limit is printed without a thousands separator. */
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

  /** A `$n` in a $batch request that no earlier request of its change set declared (docs/dataverse-web-api.md §4.3). */
  contentIdNotFound(reference: string): ODataError {
    return new ODataError(400, '0x0', `Content-ID Reference: '${reference}' does not exist in the batch context.`);
  },

  /** A $batch request written with LF line endings: the service cannot read its body (docs/dataverse-web-api.md §4.3). */
  batchStreamNotReadable(entitySetName: string): ODataError {
    return errors.payload(entitySetName, 'System.ArgumentException: Stream was not readable.');
  },
};
