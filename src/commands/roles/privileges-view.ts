import type { HeldPrivilege, EffectivePrivilege } from '../../access/holdings.js';
import type { Grant } from '../../access/verdict.js';
import type { Column } from '../../output/columns.js';

/** "Salesperson (Local), Reader through team Readers (Global)": every source, deepest first. */
export function describeSources(sources: readonly Grant[]): string {
  return sources.map((source) => `${source.roleName}${source.team ? ` through team ${source.team.name ?? source.team.id}` : ''} (${source.depth})`).join(', ');
}

export const PRIVILEGE_COLUMNS: readonly Column<HeldPrivilege>[] = [
  { header: 'privilege', value: (row) => row.privilege, paint: (text, chalk) => chalk.bold(text) },
  { header: 'depth', value: (row) => row.depth },
  { header: 'granted by', value: (row) => describeSources(row.sources), shrink: true },
];

export const EFFECTIVE_COLUMNS: readonly Column<EffectivePrivilege>[] = [
  { header: 'privilege', value: (row) => row.privilege, paint: (text, chalk) => chalk.bold(text) },
  { header: 'applies', value: (row) => row.depth },
  { header: 'signed-in', value: (row) => row.signedIn.depth },
  { header: 'acted-as', value: (row) => row.actedAs.depth },
  { header: 'acted-as roles', value: (row) => describeSources(row.actedAs.sources), shrink: true },
];
