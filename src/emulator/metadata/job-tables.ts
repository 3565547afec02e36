import { defineTable } from './define.js';
import type { TableDef } from './types.js';

/**
 * The System Job table and the bulk delete operation it runs, with the columns a client polls
 * (https://learn.microsoft.com/power-apps/developer/data-platform/asynchronous-service,
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/bulkdeleteoperation).
 * Values of statecode and statuscode are the documented ones (docs/emulator-decisions.md, BulkDelete).
 */
export const ASYNC_STATE = { Ready: 0, Suspended: 1, Locked: 2, Completed: 3 } as const;
export const ASYNC_STATUS = { WaitingForResources: 0, Waiting: 10, InProgress: 20, Succeeded: 30, Failed: 31, Canceled: 32 } as const;
/** asyncoperation.operationtype of a bulk delete job. */
export const BULK_DELETE_OPERATION_TYPE = 13;

const STATES = { 0: 'Ready', 1: 'Suspended', 2: 'Locked', 3: 'Completed' } as const;
/** Each state's default status, and the state each status belongs to (asynchronous-service). */
const DEFAULT_STATUS = { 0: 0, 1: 10, 2: 20, 3: 30 } as const;
const STATE_OF = { 0: 0, 10: 1, 11: 1, 12: 1, 20: 2, 21: 2, 22: 2, 30: 3, 31: 3, 32: 3 } as const;
const STATUSES = {
  0: 'Waiting For Resources',
  10: 'Waiting',
  20: 'In Progress',
  21: 'Pausing',
  22: 'Canceling',
  30: 'Succeeded',
  31: 'Failed',
  32: 'Canceled',
} as const;

export function jobTables(): TableDef[] {
  return [
    defineTable({
      logicalName: 'asyncoperation',
      schemaName: 'AsyncOperation',
      displayName: 'System Job',
      objectTypeCode: 4700,
      ownershipType: 'UserOwned',
      // Microsoft: "Creating system jobs with code is not supported" (write/messages.ts).
      supportsCreateMultiple: false,
      columns: [
        { name: 'name', type: 'String', displayName: 'System Job Name', maxLength: 256, readOnly: true },
        {
          name: 'operationtype',
          type: 'Picklist',
          displayName: 'System Job Type',
          options: { 1: 'System Event', 10: 'Workflow', 13: 'Bulk Delete', 23: 'Bulk Delete Subprocess' },
          readOnly: true,
        },
        { name: 'messagename', type: 'String', displayName: 'Message Name', maxLength: 160, readOnly: true },
        { name: 'statecode', type: 'State', displayName: 'Status', options: STATES, statePairs: DEFAULT_STATUS },
        { name: 'statuscode', type: 'Status', displayName: 'Status Reason', options: STATUSES, statePairs: STATE_OF },
        { name: 'message', type: 'Memo', displayName: 'Message', maxLength: 1_073_741_823, readOnly: true },
        { name: 'friendlymessage', type: 'Memo', displayName: 'Friendly message', maxLength: 1_073_741_823, readOnly: true },
        { name: 'errorcode', type: 'Integer', displayName: 'Error Code', readOnly: true },
        { name: 'startedon', type: 'DateTime', displayName: 'Started On', readOnly: true },
        { name: 'completedon', type: 'DateTime', displayName: 'Completed On', readOnly: true },
        { name: 'postponeuntil', type: 'DateTime', displayName: 'Postpone Until' },
        { name: 'recurrencepattern', type: 'String', displayName: 'Recurrence Pattern', maxLength: 256, readOnly: true },
        { name: 'executiontimespan', type: 'Decimal', displayName: 'Execution Time Span', readOnly: true },
      ],
    }),
    defineTable({
      logicalName: 'bulkdeleteoperation',
      schemaName: 'BulkDeleteOperation',
      displayName: 'Bulk Delete Operation',
      objectTypeCode: 4424,
      ownershipType: 'None',
      supportsCreateMultiple: false,
      columns: [
        { name: 'name', type: 'String', displayName: 'Name', maxLength: 256, readOnly: true },
        { name: 'asyncoperationid', type: 'Lookup', targets: ['asyncoperation'], displayName: 'System Job', readOnly: true },
        { name: 'successcount', type: 'Integer', displayName: 'Success Count', readOnly: true },
        { name: 'failurecount', type: 'Integer', displayName: 'Failure Count', readOnly: true },
        { name: 'isrecurring', type: 'Boolean', displayName: 'Is Recurring', options: { 0: 'No', 1: 'Yes' }, readOnly: true },
        { name: 'nextrun', type: 'DateTime', displayName: 'Next Run', readOnly: true },
        { name: 'statecode', type: 'State', displayName: 'Status', options: STATES, statePairs: DEFAULT_STATUS, readOnly: true },
        {
          name: 'statuscode',
          type: 'Status',
          displayName: 'Status Reason',
          options: { ...STATUSES, 11: 'Retrying', 12: 'Paused' },
          statePairs: STATE_OF,
          readOnly: true,
        },
      ],
    }),
  ];
}
