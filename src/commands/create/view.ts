import type { DataverseRecord } from '../../dataverse/odata.js';
import type { CreatedBy } from '../../impersonation/read-back.js';
import type { Column } from '../../output/columns.js';
import { returnedRowFields } from '../../output/readable.js';

/**
 * What `dvas create` prints: the new row's `id`; under --as who created it (checked to be the --as
 * user) and on whose behalf; with --return, the row as the service returned it.
 */
export type CreateView = { id: string; record?: DataverseRecord } & Partial<CreatedBy>;

const dim: Column<CreateView>['paint'] = (text, chalk) => chalk.dim(text);

/** The table lines (CSV columns): the id, who created it under --as, then the returned row's columns. */
export function createFields(view: CreateView): Column<CreateView>[] {
  const fields: Column<CreateView>[] = [{ header: 'id', value: (created) => created.id }];
  if (view.createdby !== undefined) {
    fields.push(
      { header: 'createdby', value: (created) => created.createdbyname ?? created.createdby },
      { header: 'createdbyid', value: (created) => created.createdby, paint: dim },
      { header: 'createdonbehalfby', value: (created) => created.createdonbehalfbyname ?? created.createdonbehalfby },
      { header: 'createdonbehalfbyid', value: (created) => created.createdonbehalfby, paint: dim },
    );
  }
  if (view.record) fields.push(...returnedRowFields<CreateView>(view.record, fields.map((field) => field.header)));
  return fields;
}
