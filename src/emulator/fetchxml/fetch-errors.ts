import { errors, ODataError } from '../http/errors.js';

/**
 * The errors a FetchXML query gets, with the service's codes where Microsoft documents or shows
 * them (docs/emulator-decisions.md, "FetchXML"), and the emulator's 501 for what it does not do.
 */
export const fetchErrors = {
  /** Not well-formed, or not FetchXML's shape: the service's answer to XML it cannot read. */
  invalidXml(): ODataError {
    return new ODataError(400, '0x80040201', 'Invalid XML.', 'InvalidXml');
  },

  /** An element or attribute FetchXML does not have, or a required one missing (the schema check). */
  schema(detail: string): ODataError {
    return new ODataError(400, '0x80040201', `Invalid XML. ${detail}`, 'InvalidXml');
  },

  invalidArgument(message: string): ODataError {
    return errors.invalidArgument(message);
  },

  unknownOperator(operator: string): ODataError {
    return new ODataError(400, '0x80040203', `Unknown Condition Operator: ${operator}`, 'InvalidArgument');
  },

  /** AggregateQueryRecordLimit (aggregate-data "Limitations"): more rows than 50,000 or `aggregatelimit`. */
  aggregateLimit(): ODataError {
    return new ODataError(400, '0x8004e023', 'AggregateQueryRecordLimit exceeded. Cannot perform this operation.', 'AggregateQueryRecordLimit');
  },

  /** One of the service's errors with another HTTP status (a metadata 404 met inside a query is a 400). */
  withStatus(error: ODataError, status: number): ODataError {
    return new ODataError(status, error.code, error.message, error.messageName);
  },

  notEmulated(what: string): ODataError {
    return errors.notEmulated(`FetchXML ${what}`);
  },
};
