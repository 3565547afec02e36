import type { Row } from './types.js';

type UndoStep = () => void;

/** A row's value under a unique index (its alternate key's values), or undefined when it has none. */
export type IndexTuple = (row: Row) => string | undefined;

interface UniqueIndex {
  tupleOf: IndexTuple;
  /** tuple → id of the row holding it. */
  ids: Map<string, string>;
}

/**
 * Everything a Store holds, as plain JSON (`--state FILE`): the rows of every table and the pairs
 * of every N:N relationship, in insertion order (the order queries without `$orderby` return), and
 * the row version counter, so that ETags keep growing across a restart.
 */
export interface StoreSnapshot {
  version: number;
  tables: Record<string, Array<[id: string, row: Row]>>;
  /** relationship name → [left id, right id, data carried by the pair (absent for none)]. */
  associations: Record<string, Array<[left: string, right: string, data?: unknown]>>;
}

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
  /** table → unique indexes by what defines them (an alternate key), kept up to date by every write. */
  private readonly indexes = new Map<string, Map<object, UniqueIndex>>();
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

  /**
   * The unique index `definer` (an alternate key) of a table: tuple → id. Built from the rows on
   * first use, then kept up to date by insert, replace and delete and their undoing, so a write
   * checks its key in constant time however big the table (a full scan per request made seeding a
   * million rows quadratic). Rows are never mutated in place, so a stored row's tuple never moves.
   */
  uniqueIndex(table: string, definer: object, tupleOf: IndexTuple): ReadonlyMap<string, string> {
    let indexes = this.indexes.get(table);
    if (!indexes) {
      indexes = new Map();
      this.indexes.set(table, indexes);
    }
    let index = indexes.get(definer);
    if (!index) {
      index = { tupleOf, ids: new Map() };
      for (const [id, row] of this.rows(table)) {
        const tuple = tupleOf(row);
        if (tuple !== undefined) index.ids.set(tuple, id);
      }
      indexes.set(definer, index);
    }
    return index.ids;
  }

  insert(table: string, id: string, row: Row): void {
    const rows = this.rows(table);
    if (rows.has(id)) throw new Error(`Internal: duplicate insert of ${table}(${id}).`);
    rows.set(id, row);
    this.indexAdd(table, id, row);
    this.touch(table);
    this.undoLog?.push(() => {
      rows.delete(id);
      this.indexRemove(table, id, row);
      this.touch(table);
    });
  }

  /** Replaces the stored row object (rows are never mutated in place, so the undo log can keep the old one). */
  replace(table: string, id: string, row: Row): void {
    const rows = this.rows(table);
    const previous = rows.get(id);
    if (!previous) throw new Error(`Internal: update of missing ${table}(${id}).`);
    rows.set(id, row);
    this.indexRemove(table, id, previous);
    this.indexAdd(table, id, row);
    this.touch(table);
    this.undoLog?.push(() => {
      rows.set(id, previous);
      this.indexRemove(table, id, row);
      this.indexAdd(table, id, previous);
      this.touch(table);
    });
  }

  delete(table: string, id: string): void {
    const rows = this.rows(table);
    const previous = rows.get(id);
    if (!previous) return;
    rows.delete(id);
    this.indexRemove(table, id, previous);
    this.touch(table);
    this.undoLog?.push(() => {
      rows.set(id, previous);
      this.indexAdd(table, id, previous);
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

  private indexAdd(table: string, id: string, row: Row): void {
    for (const index of this.indexes.get(table)?.values() ?? []) {
      const tuple = index.tupleOf(row);
      if (tuple !== undefined) index.ids.set(tuple, id);
    }
  }

  /** Removes the row's tuples, unless another row holds them now (an undone write restoring a key). */
  private indexRemove(table: string, id: string, row: Row): void {
    for (const index of this.indexes.get(table)?.values() ?? []) {
      const tuple = index.tupleOf(row);
      if (tuple !== undefined && index.ids.get(tuple) === id) index.ids.delete(tuple);
    }
  }

  snapshot(): StoreSnapshot {
    const tables: StoreSnapshot['tables'] = {};
    for (const [name, rows] of this.tables) if (rows.size > 0) tables[name] = [...rows];
    const associations: StoreSnapshot['associations'] = {};
    for (const [name, relationship] of this.associations) {
      const pairs: StoreSnapshot['associations'][string] = [];
      for (const [left, rights] of relationship.forward) {
        for (const [right, data] of rights) pairs.push(data === undefined ? [left, right] : [left, right, data]);
      }
      if (pairs.length > 0) associations[name] = pairs;
    }
    return { version: this.version, tables, associations };
  }

  /** Replaces everything held with a snapshot's contents (outside any transaction: it cannot be undone). */
  restore(snapshot: StoreSnapshot): void {
    if (this.undoLog) throw new Error('Internal: a store is restored inside a transaction.');
    this.tables.clear();
    this.associations.clear();
    // Built again from the restored rows on first use.
    this.indexes.clear();
    for (const [name, rows] of Object.entries(snapshot.tables)) this.tables.set(name, new Map(rows));
    for (const [name, pairs] of Object.entries(snapshot.associations)) {
      for (const [left, right, data] of pairs) this.associate(name, left, right, data);
    }
    this.version = snapshot.version;
    this.securityVersion++;
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
