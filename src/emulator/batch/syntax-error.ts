/**
 * A $batch body that cannot be read as a batch. Dataverse's Web API runs on ASP.NET Web API OData
 * and ODataLib; the messages below are theirs (the batch handler's request validation and
 * ODataLib's batch reader), so a client sees the text the service sends. The whole batch is then
 * answered 400, before any of its requests runs.
 */
export class BatchSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchSyntaxError';
  }
}

/** ODataLib's batch quotas as Dataverse sets them: 1,000 (docs/dataverse-web-api.md §4.3). */
export const MAX_BATCH_REQUESTS = 1000;

/** RFC 2046 and ODataLib: a boundary has 1 to 70 characters. */
export const MAX_BOUNDARY_LENGTH = 70;

export const batchSyntax = {
  missingContentType: () => new BatchSyntaxError('The batch request must have a "Content-Type" header.'),
  notMultipart: () => new BatchSyntaxError("The batch request must have 'multipart/mixed' as the media type."),
  missingBoundary: () => new BatchSyntaxError('The batch request must have a boundary specification in the "Content-Type" header.'),
  boundaryLength: (boundary: string) =>
    new BatchSyntaxError(
      `The boundary delimiter '${boundary}' is invalid. A boundary delimiter must be non-null, be non-empty, and have a maximum of ${MAX_BOUNDARY_LENGTH} characters.`,
    ),
  changeSetBoundary: (contentType: string) =>
    new BatchSyntaxError(
      `The content type '${contentType}' specifies a batch payload; however, the payload either does not include a batch boundary or includes more than one boundary. In OData, batch payload content types must specify exactly one batch boundary in the 'boundary' parameter of the content type.`,
    ),
  unexpectedEnd: () => new BatchSyntaxError('Encountered an unexpected end of input while reading the batch payload.'),
  invalidHeader: (line: string) =>
    new BatchSyntaxError(`The message header '${line}' is invalid. The header value must be of the format '<header name>: <header value>'.`),
  missingPartContentType: () =>
    new BatchSyntaxError("The 'Content-Type' header is missing. The 'Content-Type' header must be specified for each MIME part of a batch message."),
  transferEncoding: () =>
    new BatchSyntaxError(
      "A missing or invalid 'Content-Transfer-Encoding' header was found. The 'Content-Transfer-Encoding' header must be specified for each batch operation, and its value must be 'binary'.",
    ),
  partContentType: (value: string) =>
    new BatchSyntaxError(
      `The 'Content-Type' header value '${value}' is invalid. When this is the start of the change set, the value must be 'multipart/mixed'; otherwise it must be 'application/http'.`,
    ),
  nestedChangeSet: () => new BatchSyntaxError('Nested change sets in a batch payload are not supported.'),
  /** The service's documented rule ("can't contain other batch requests"); the wording is the emulator's. */
  nestedBatch: () => new BatchSyntaxError('A batch request cannot contain another batch request.'),
  requestLine: (line: string) =>
    new BatchSyntaxError(
      `The request line '${line}' is invalid. The request line at the start of each operation must be of the format 'HttpMethod RequestUrl HttpVersion'.`,
    ),
  httpVersion: (version: string) =>
    new BatchSyntaxError(`The HTTP version '${version}' used in a batch operation request or response is not valid. The value must be 'HTTP/1.1'.`),
  methodInChangeSet: (method: string) =>
    new BatchSyntaxError(
      `An invalid HTTP method '${method}' was detected for a request in a change set. Requests in change sets only support the HTTP methods 'POST', 'PUT', 'DELETE', and 'PATCH'.`,
    ),
  duplicateContentId: (contentId: string) =>
    new BatchSyntaxError(
      `The content ID '${contentId}' was found more than once in the same change set. Content IDs have to be unique across all operations of a change set.`,
    ),
  tooManyParts: () =>
    new BatchSyntaxError(
      `The current batch message contains too many parts. A maximum number of '${MAX_BATCH_REQUESTS}' query operations and change sets are allowed in a batch message.`,
    ),
  tooManyChangeSetOperations: () =>
    new BatchSyntaxError(
      `The current change set contains too many operations. A maximum number of '${MAX_BATCH_REQUESTS}' operations are allowed in a change set.`,
    ),
};
