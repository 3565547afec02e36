import type { Row } from './types.js';

type UndoStep = () => void;

/**
 * The emulator's in-memory database: rows per table and the N:N association sets.
 *
 * Writes inside `transaction()` keep an undo log, so CreateMultiple and $batch change sets roll
 * back as a whole on any error, as Dataverse's do. Every write bumps `securityVersion` when it
 * touches a table the security model reads, so cached privilege sets stay correct.
 */
export class Store {
  private readonly tables = new Map<string, Map<string, Row>>();
  /**
   * relationship name → left id → right id → data carried by the pair (the privilege depth of a
   * role's privilege; nothing for the others), and the mirror index right id → left ids.
   */
  private readonly associations = new Map<string, Relationship>();
  private undoLog: UndoStep[] | undefined;
  private version = 1000;
  /** Bumped on every change that can alter what a principal may do. */
  securityVersion = 0;

  private static readonly SECURITY_TABLES = new Set(['systemuser', 'team', 'role', 'privilege', 'businessunit', 'principalobjectaccess']);

  rows(table: string): Map<string, Row> {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    return rows;
  }

  get(table: string, id: string): Row | undefined {
    return this.tables.get(table)?.get(id);
  }

  /** The next row version: the value behind `versionnumber` and the `W/"…"` ETag. */
  nextVersion(): number {
    return ++this.version;
  }

  insert(table: string, id: string, row: Row): void {
    const rows = this.rows(table);
    if (rows.has(id)) throw new Error(`Internal: duplicate insert of ${table}(${id}).`);
    rows.set(id, row);
    this.touch(table);
    this.undoLog?.push(() => {
      rows.delete(id);
      this.touch(table);
    });
  }

  /** Replaces the stored row object (rows are never mutated in place, so the undo log can keep the old one). */
  replace(table: string, id: string, row: Row): void {
    const rows = this.rows(table);
    const previous = rows.get(id);
    if (!previous) throw new Error(`Internal: update of missing ${table}(${id}).`);
    rows.set(id, row);
    this.touch(table);
    this.undoLog?.push(() => {
      rows.set(id, previous);
      this.touch(table);
    });
  }

  delete(table: string, id: string): void {
    const rows = this.rows(table);
    const previous = rows.get(id);
    if (!previous) return;
    rows.delete(id);
    this.touch(table);
    this.undoLog?.push(() => {
      rows.set(id, previous);
      this.touch(table);
    });
  }

  private relationship(name: string) {
    let relationship = this.associations.get(name);
    if (!relationship) {
      relationship = { forward: new Map(), reverse: new Map() };
      this.associations.set(name, relationship);
    }
    return relationship;
  }

  /** Ids on the other side of an N:N relationship. `fromLeft` says which side `id` is on. */
  associated(name: string, id: string, fromLeft: boolean): Iterable<string> {
    const relationship = this.associations.get(name);
    if (!relationship) return EMPTY;
    return (fromLeft ? relationship.forward.get(id)?.keys() : relationship.reverse.get(id)?.values()) ?? EMPTY;
  }

  isAssociated(name: string, leftId: string, rightId: string): boolean {
    return this.associations.get(name)?.forward.get(leftId)?.has(rightId) ?? false;
  }

  /** The data stored with an associated pair (undefined when there is none or the pair is not associated). */
  associationData(name: string, leftId: string, rightId: string): unknown {
    return this.associations.get(name)?.forward.get(leftId)?.get(rightId);
  }

  /** Returns false when the pair was already associated. */
  associate(name: string, leftId: string, rightId: string, data?: unknown): boolean {
    const relationship = this.relationship(name);
    if (relationship.forward.get(leftId)?.has(rightId)) return false;
    let rights = relationship.forward.get(leftId);
    if (!rights) {
      rights = new Map();
      relationship.forward.set(leftId, rights);
    }
    rights.set(rightId, data);
    addTo(relationship.reverse, rightId, leftId);
    this.securityVersion++;
    this.undoLog?.push(() => {
      relationship.forward.get(leftId)?.delete(rightId);
      relationship.reverse.get(rightId)?.delete(leftId);
      this.securityVersion++;
    });
    return true;
  }

  /** Returns false when the pair was not associated. */
  disassociate(name: string, leftId: string, rightId: string): boolean {
    const relationship = this.associations.get(name);
    const rights = relationship?.forward.get(leftId);
    if (!relationship || !rights?.has(rightId)) return false;
    const data = rights.get(rightId);
    rights.delete(rightId);
    relationship.reverse.get(rightId)?.delete(leftId);
    this.securityVersion++;
    this.undoLog?.push(() => {
      rights.set(rightId, data);
      addTo(relationship.reverse, rightId, leftId);
      this.securityVersion++;
    });
    return true;
  }

  /**
   * Runs `work` atomically: if it throws, every write it made is undone. Transactions nest: an
   * inner one joins the outer (a change set inside a batch is one unit).
   *
   * Deliberately synchronous: request handling never awaits between reading and writing the store,
   * so no other request's writes can interleave with (and be rolled back by) a transaction.
   */
  transaction<T>(work: () => T): T {
    if (this.undoLog) return work();
    const log: UndoStep[] = [];
    this.undoLog = log;
    try {
      const result = work();
      this.undoLog = undefined;
      return result;
    } catch (error) {
      this.undoLog = undefined;
      for (let i = log.length - 1; i >= 0; i--) log[i]?.();
      throw error;
    }
  }

  private touch(table: string): void {
    if (Store.SECURITY_TABLES.has(table)) this.securityVersion++;
  }
}

interface Relationship {
  forward: Map<string, Map<string, unknown>>;
  reverse: Map<string, Set<string>>;
}

const EMPTY: readonly string[] = [];

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}
