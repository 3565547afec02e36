import type { Column } from '../../output/columns.js';
import { describeSources } from '../roles/privileges-view.js';
import type { WhoCanRow } from './run.js';

export function whoCanColumns(withRecord: boolean): readonly Column<WhoCanRow>[] {
  return [
    { header: 'user', value: (row) => row.fullname ?? row.systemuserid, paint: (text, chalk) => chalk.bold(text), shrink: true },
    { header: 'email', value: (row) => row.internalemailaddress, shrink: true },
    { header: 'depth', value: (row) => row.depth },
    { header: 'granted by', value: (row) => describeSources(row.sources), shrink: true },
    ...(withRecord ? [{ header: 'reaches the row', value: (row: WhoCanRow) => row.how ?? '' }] : []),
    { header: 'systemuserid', value: (row) => row.systemuserid, paint: (text, chalk) => chalk.dim(text) },
  ];
}
