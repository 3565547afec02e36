/**
 * A navigation property of a table, as `$ref` needs to know it
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api):
 * - `single`: a lookup of the row itself (N:1): `PUT …/<nav>/$ref` sets it, `DELETE` clears it;
 * - `oneToMany`: the lookup of the related rows (1:N) that point at this one: `POST` / `DELETE … $id=`;
 * - `manyToMany`: an N:N relationship: `POST` / `DELETE … $id=`.
 * `target` is the logical name of the table it leads to; `lookup`, for the first two, the column changed.
 */
export interface Navigation {
  name: string;
  kind: 'single' | 'oneToMany' | 'manyToMany';
  target: string;
  relationship: string;
  lookup?: string;
}
