import type { DataverseRecord } from '../../dataverse/odata.js';
import type { ModifiedBy } from '../../impersonation/read-back.js';
import type { Column } from '../../output/columns.js';
import { returnedRowFields } from '../../output/readable.js';

/**
 * What `dvas update` prints: the row's `id` (null when only an alternate key named it and the
 * service did not say the GUID); under --as who modified it (checked) and on whose behalf; with
 * --return the row after the change, as the service returned it.
 */
export type UpdateView = { id: string | null; record?: DataverseRecord } & Partial<ModifiedBy>;

const dim: Column<UpdateView>['paint'] = (text, chalk) => chalk.dim(text);

/** The table lines (CSV columns): the id, who modified the row under --as, then the returned row's non-empty columns. */
export function updateFields(view: UpdateView): Column<UpdateView>[] {
  const fields: Column<UpdateView>[] = [{ header: 'id', value: (updated) => updated.id }];
  if (view.modifiedby !== undefined) {
    fields.push(
      { header: 'modifiedby', value: (updated) => updated.modifiedbyname ?? updated.modifiedby },
      { header: 'modifiedbyid', value: (updated) => updated.modifiedby, paint: dim },
      { header: 'modifiedonbehalfby', value: (updated) => updated.modifiedonbehalfbyname ?? updated.modifiedonbehalfby },
      { header: 'modifiedonbehalfbyid', value: (updated) => updated.modifiedonbehalfby, paint: dim },
    );
  }
  if (view.record) fields.push(...returnedRowFields<UpdateView>(view.record, fields.map((field) => field.header)));
  return fields;
}
