import { GUID_PATTERN } from '../../../dataverse/facts.js';
import { isRecord, type DataverseRecord } from '../../../dataverse/odata.js';
import { checkJsonValue, quoted, typeCell, type Typed } from './column-values.js';
import { describePosition, type InputRow, type PositionKind } from './input-row.js';
import type { TableColumns } from './table-columns.js';

/** A row ready to send: its columns typed for the Web API, its user (as the input named it), its own id if it gave one. */
export interface CheckedRow {
  position: number;
  ordinal: number;
  record: DataverseRecord;
  /** The `@as` value, trimmed; undefined when the row names no user (then --as, else the signed-in identity). */
  user: string | undefined;
  /** The primary key the row gives itself, lower case. */
  givenId: string | undefined;
}

export type RowCheck = { ok: true; row: CheckedRow } | { ok: false; position: number; problem: string };

const BIND_SUFFIX = '@odata.bind';
const BIND_VALUE = /^(https?:\/\/[^\s]+\/)?\/?[A-Za-z_][A-Za-z0-9_]*\([^()\s]+\)$/;

/**
 * Checks rows against the table's columns before anything is sent (docs/bulk-create.md, "Input"):
 * unknown columns, columns a create cannot set, values of the wrong type, malformed lookups, a
 * primary key given twice. A CSV header is checked once (its problems are line 1's), so a
 * misspelt column is one problem, not one per row. Keeps only the ids rows give themselves.
 */
export class RowChecker {
  private readonly givenIds = new Map<string, number>();
  private headerChecked = false;
  private readonly ignoredCells = new Set<string>();

  constructor(
    private readonly table: TableColumns,
    private readonly asColumn: string,
    private readonly positionKind: PositionKind,
  ) {}

  /** For CSV, before the first row: the header's problems, each naming line 1. */
  checkHeader(names: Iterable<string>): string[] {
    this.headerChecked = true;
    const problems: string[] = [];
    for (const name of names) {
      if (name === this.asColumn) continue;
      const problem = this.nameProblem(name);
      if (problem) {
        problems.push(problem);
        this.ignoredCells.add(name);
      }
    }
    return problems;
  }

  get csvHeaderChecked(): boolean {
    return this.headerChecked;
  }

  check(input: InputRow): RowCheck {
    const fail = (problem: string): RowCheck => ({ ok: false, position: input.position, problem });
    if (input.unreadable !== undefined) return fail(input.unreadable);
    const record: DataverseRecord = {};
    let user: string | undefined;
    if (input.cells) {
      for (const [name, text] of input.cells) {
        if (name === this.asColumn) {
          user = text.trim() || undefined;
          continue;
        }
        if (this.ignoredCells.has(name) || text === '') continue;
        const typed = this.typeValue(name, text, 'csv');
        if (!typed.ok) return fail(typed.problem);
        record[name] = typed.value;
      }
    } else {
      const value = input.value;
      if (!isRecord(value)) return fail(`not a JSON object (${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`})`);
      for (const [name, item] of Object.entries(value)) {
        if (name === this.asColumn) {
          if (item === null || item === undefined || item === '') continue;
          if (typeof item !== 'string') return fail(`${quoted(name)} names the row's user and takes a string`);
          user = item.trim() || undefined;
          continue;
        }
        if (name === '@odata.type') continue;
        const problem = this.nameProblem(name);
        if (problem) return fail(problem);
        const typed = this.typeValue(name, item, 'json');
        if (!typed.ok) return fail(typed.problem);
        record[name] = typed.value;
      }
    }
    const id = record[this.table.primaryId];
    let givenId: string | undefined;
    if (typeof id === 'string') {
      givenId = id.toLowerCase();
      const first = this.givenIds.get(givenId);
      if (first !== undefined) return fail(`the id ${givenId} is given again (first at ${describePosition(this.positionKind, first)}): each row is created once`);
      this.givenIds.set(givenId, input.position);
      record[this.table.primaryId] = givenId;
    } else if (id === null) {
      delete record[this.table.primaryId];
    }
    return { ok: true, row: { position: input.position, ordinal: input.ordinal, record, user, givenId } };
  }

  private nameProblem(name: string): string | undefined {
    if (name.endsWith(BIND_SUFFIX)) {
      const navigation = name.slice(0, -BIND_SUFFIX.length);
      const lookup = this.table.lookups.some((lookupName) => navigation === lookupName || navigation.startsWith(`${lookupName}_`));
      return lookup ? undefined : `${quoted(navigation)} is not a lookup of ${this.table.logicalName} (for ${quoted(name)})`;
    }
    if (name.includes('@')) return `${quoted(name)} is an annotation dvas does not send`;
    const column = this.table.columns.get(name);
    if (!column) return `unknown column ${quoted(name)} in ${this.table.logicalName}`;
    if (!column.creatable) return `the column '${name}' cannot be set when a row is created`;
    return undefined;
  }

  private typeValue(name: string, value: unknown, from: 'csv' | 'json'): Typed {
    if (name.endsWith(BIND_SUFFIX)) {
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined || !BIND_VALUE.test(text)) {
        return { ok: false, problem: `${quoted(name)} takes the row to link as "/<entity set>(<id>)", not ${typeof value === 'string' ? quoted(value) : JSON.stringify(value)}` };
      }
      return { ok: true, value: text };
    }
    const column = this.table.columns.get(name);
    if (!column) return { ok: false, problem: `unknown column ${quoted(name)} in ${this.table.logicalName}` };
    const typed = from === 'csv' ? typeCell(column, String(value)) : checkJsonValue(column, value);
    if (!typed.ok) return { ok: false, problem: `'${name}' ${typed.problem}` };
    if (name === this.table.primaryId && typeof typed.value === 'string' && !GUID_PATTERN.test(typed.value)) {
      return { ok: false, problem: `'${name}' is the table's key and takes a GUID` };
    }
    return typed;
  }
}
