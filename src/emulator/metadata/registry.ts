import type { TableDef } from './types.js';

/** Looks tables up by logical name and by entity set name (both case-sensitive, as the service is). */
export class MetadataRegistry {
  private readonly byLogicalName = new Map<string, TableDef>();
  private readonly byEntitySet = new Map<string, TableDef>();

  constructor(tables: Iterable<TableDef>) {
    for (const table of tables) this.add(table);
  }

  add(table: TableDef): void {
    if (this.byLogicalName.has(table.logicalName)) {
      throw new Error(`Table '${table.logicalName}' is declared twice.`);
    }
    if (this.byEntitySet.has(table.entitySetName)) {
      throw new Error(`Entity set '${table.entitySetName}' is declared twice.`);
    }
    this.byLogicalName.set(table.logicalName, table);
    this.byEntitySet.set(table.entitySetName, table);
  }

  table(logicalName: string): TableDef | undefined {
    return this.byLogicalName.get(logicalName);
  }

  /** Like table(), for names the emulator itself uses: a miss is a bug, not a client error. */
  require(logicalName: string): TableDef {
    const table = this.byLogicalName.get(logicalName);
    if (!table) throw new Error(`Internal: no table '${logicalName}'.`);
    return table;
  }

  byEntitySetName(entitySetName: string): TableDef | undefined {
    return this.byEntitySet.get(entitySetName);
  }

  all(): TableDef[] {
    return [...this.byLogicalName.values()];
  }
}
