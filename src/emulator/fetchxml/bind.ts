import { errors } from '../http/errors.js';
import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import type { QueryFunctionEnvironment } from '../odata/filter/query-functions.js';
import { propertyName } from '../odata/property-names.js';
import type { Row } from '../store/types.js';
import { conditionTest } from './conditions.js';
import { fetchErrors } from './fetch-errors.js';
import { intersectTable, type IntersectTable } from './intersect-tables.js';
import type { AggregateFunction, ConditionNode, EntityNode, FetchQuery, FilterNode, LinkType } from './query.js';

/** One row of each joined table, by node index (0 = the entity); null where an outer join found none. */
export type Tuple = ReadonlyArray<Row | null>;

/** The entity (index 0) or one link-entity, bound to its table. */
export interface BoundNode {
  index: number;
  table: TableDef;
  /** The link-entity's alias (given, or generated as `<name><n>`); the entity's logical name for the root. */
  alias: string;
  /** The join: this table's `from` column equals the parent's `to` column. */
  link: { parent: number; from: AttributeDef; to: AttributeDef; type: LinkType } | undefined;
  /** Set for the intersect table of an N:N relationship, whose rows are the stored associations. */
  intersect?: IntersectTable | undefined;
  /** The link-entity's own filter, on its rows alone. */
  rowTest: ((row: Row) => boolean) | undefined;
  children: number[];
}

/** A column of the answer: a plain column, a group-by column or an aggregate. */
export interface BoundColumn {
  node: number;
  attribute: AttributeDef;
  /** The JSON property: `name`, `_x_value`, `alias.column`, or the attribute's alias. */
  property: string;
  aggregate: AggregateFunction | undefined;
  groupBy: boolean;
  distinct: boolean;
}

export interface BoundOrder {
  descending: boolean;
  /** Sorts by a column of a node… */
  node: number;
  attribute: AttributeDef | undefined;
  /** …or, in an aggregate query, by the alias of an answer column. */
  column: BoundColumn | undefined;
}

export interface BoundQuery {
  query: FetchQuery;
  nodes: BoundNode[];
  columns: BoundColumn[];
  /** The entity's filters, on the joined rows. */
  filter: ((tuple: Tuple) => boolean) | undefined;
  orders: BoundOrder[];
}

/** The most link-entity elements one query may have (join-tables: error 0x8004430D beyond 15). */
const MAX_LINKS = 15;

/**
 * Binds a FetchXML query to the organisation's tables: names resolved (the service's errors for
 * unknown ones), conditions compiled once, columns and orders worked out. `table` is the table of
 * the entity set the query was sent to, which must be the table the `entity` element names.
 */
export function bindFetch(query: FetchQuery, table: TableDef, metadata: MetadataRegistry, environment: QueryFunctionEnvironment): BoundQuery {
  if (query.entity.name !== table.logicalName) {
    throw fetchErrors.invalidArgument(
      `The entity name '${query.entity.name}' in the FetchXML does not match the entity set '${table.entitySetName}' (table '${table.logicalName}').`,
    );
  }
  return new Binder(query, metadata, environment).bind(table);
}

class Binder {
  private readonly nodes: BoundNode[] = [];
  private readonly columns: BoundColumn[] = [];
  private readonly entityOrders: BoundOrder[] = [];
  private readonly linkOrders: BoundOrder[] = [];
  private readonly generatedAliases = new Map<string, number>();
  /** Entity-level orders, conditions with `entityname` and aggregate orders are resolved once every node is known. */
  private readonly pending: Array<() => void> = [];

  constructor(
    private readonly query: FetchQuery,
    private readonly metadata: MetadataRegistry,
    private readonly environment: QueryFunctionEnvironment,
  ) {}

  bind(table: TableDef): BoundQuery {
    this.node(this.query.entity, table, undefined);
    if (this.nodes.length - 1 > MAX_LINKS) throw errors.tooManyLinkEntities();
    for (const resolve of this.pending) resolve();
    const filter = this.tupleFilter(this.query.entity.filters);
    return { query: this.query, nodes: this.nodes, columns: this.columns, filter, orders: [...this.entityOrders, ...this.linkOrders] };
  }

  private node(entity: EntityNode, table: TableDef, link: BoundNode['link'] | undefined, alias?: string): BoundNode {
    const node: BoundNode = { index: this.nodes.length, table, alias: alias ?? table.logicalName, link, rowTest: undefined, children: [] };
    this.nodes.push(node);
    this.bindColumns(entity, node);
    if (link) node.rowTest = this.rowFilter(entity.filters, node);
    for (const order of entity.orders) {
      const target = link ? this.linkOrders : this.entityOrders;
      if (order.alias !== undefined && order.attribute === undefined) {
        const bound: BoundOrder = { descending: order.descending, node: node.index, attribute: undefined, column: undefined };
        target.push(bound);
        this.pending.push(() => {
          const column = this.columns.find((candidate) => candidate.property === order.alias);
          if (!column) throw fetchErrors.invalidArgument(`The order alias '${order.alias}' is not the alias of an attribute of the query.`);
          // An aggregate query sorts its groups by the alias; any other sorts rows by the aliased column.
          if (this.query.aggregate) bound.column = column;
          else {
            bound.node = column.node;
            bound.attribute = column.attribute;
          }
        });
        continue;
      }
      const attributeName = order.attribute as string;
      if (this.query.aggregate) throw fetchErrors.invalidArgument('An aggregate query orders by the alias of an attribute, not by an attribute.');
      if (order.entityName !== undefined && !link) {
        const bound: BoundOrder = { descending: order.descending, node: 0, attribute: undefined, column: undefined };
        target.push(bound);
        this.pending.push(() => {
          const other = this.byAlias(order.entityName as string);
          bound.node = other.index;
          bound.attribute = attributeOf(other.table, attributeName);
        });
        continue;
      }
      target.push({ descending: order.descending, node: node.index, attribute: attributeOf(table, attributeName), column: undefined });
    }
    for (const child of entity.links) {
      const intersect = this.metadata.table(child.name) ? undefined : intersectTable(child.name);
      const linked = this.metadata.table(child.name) ?? intersect?.table;
      if (!linked) throw unknownEntity(child.name);
      if (child.from === undefined || child.to === undefined) throw fetchErrors.notEmulated("link-entity without both 'from' and 'to'");
      const childLink = { parent: node.index, from: attributeOf(linked, child.from), to: attributeOf(table, child.to), type: child.linkType };
      const childNode = this.node(child, linked, childLink, child.alias ?? this.generatedAlias(child.name));
      childNode.intersect = intersect;
      node.children.push(childNode.index);
    }
    return node;
  }

  /** Without an alias, a link-entity is named after its table and its rank among links to it: `contact1` (join-tables). */
  private generatedAlias(name: string): string {
    const rank = (this.generatedAliases.get(name) ?? 0) + 1;
    this.generatedAliases.set(name, rank);
    return `${name}${rank}`;
  }

  private bindColumns(entity: EntityNode, node: BoundNode): void {
    const { table } = node;
    const isRoot = node.index === 0;
    if (entity.allAttributes) {
      if (this.query.aggregate) throw fetchErrors.invalidArgument('An aggregate query cannot use all-attributes.');
      for (const attribute of table.attributes.values()) this.addColumn(node, attribute, undefined, undefined, false, false);
    }
    for (const element of entity.attributes) {
      const attribute = attributeOf(table, element.name);
      if (this.query.aggregate) {
        if (element.alias === undefined) throw fetchErrors.invalidArgument(`The attribute '${element.name}' of an aggregate query needs an alias.`);
        if ((element.aggregate === undefined) === !element.groupBy) {
          throw fetchErrors.invalidArgument(`The attribute '${element.alias}' of an aggregate query needs either an aggregate or groupby='true'.`);
        }
        if (element.distinct && element.aggregate !== 'countcolumn') throw fetchErrors.invalidArgument("distinct='true' on an attribute applies only to the countcolumn aggregate.");
        if (this.columns.some((column) => column.property === element.alias)) throw fetchErrors.invalidArgument(`The alias '${element.alias}' is used twice.`);
      } else if (element.aggregate !== undefined || element.groupBy) {
        throw fetchErrors.invalidArgument("An attribute with an aggregate or groupby needs aggregate='true' on the fetch element.");
      }
      this.addColumn(node, attribute, element.alias, element.aggregate, element.groupBy, element.distinct);
    }
    // The primary key is always returned (page-results), except when rows are distinct or aggregated.
    if (isRoot && !this.query.aggregate && !this.query.distinct) {
      const primaryKey = table.attributes.get(table.primaryIdAttribute);
      if (primaryKey && !this.columns.some((column) => column.node === 0 && column.attribute === primaryKey)) {
        this.addColumn(node, primaryKey, undefined, undefined, false, false);
      }
    }
  }

  private addColumn(node: BoundNode, attribute: AttributeDef, alias: string | undefined, aggregate: AggregateFunction | undefined, groupBy: boolean, distinct: boolean): void {
    const property = alias ?? (node.index === 0 ? propertyName(attribute) : `${node.alias}.${attribute.logicalName}`);
    if (!alias && this.columns.some((column) => column.property === property)) return;
    this.columns.push({ node: node.index, attribute, property, aggregate, groupBy, distinct });
  }

  private byAlias(alias: string): BoundNode {
    const node = this.nodes.find((candidate) => candidate.index > 0 && candidate.alias === alias);
    if (!node) throw fetchErrors.invalidArgument(`No link-entity has the alias '${alias}'.`);
    return node;
  }

  /** A link-entity's filters: its own columns only (a condition naming another entity there is not emulated). */
  private rowFilter(filters: FilterNode[], node: BoundNode): ((row: Row) => boolean) | undefined {
    if (filters.length === 0) return undefined;
    const test = this.filterTest({ kind: 'filter', type: 'and', items: filters }, (condition) => {
      if (condition.entityName !== undefined) throw fetchErrors.notEmulated("a condition with 'entityname' inside a link-entity");
      return node;
    });
    const tuple: Array<Row | null> = [];
    return (row) => {
      tuple[node.index] = row;
      return test(tuple);
    };
  }

  /** The entity's filters, on joined rows: a condition's `entityname` names the link-entity whose column it tests. */
  private tupleFilter(filters: FilterNode[]): ((tuple: Tuple) => boolean) | undefined {
    if (filters.length === 0) return undefined;
    return this.filterTest({ kind: 'filter', type: 'and', items: filters }, (condition) =>
      condition.entityName === undefined ? (this.nodes[0] as BoundNode) : this.byAlias(condition.entityName),
    );
  }

  private filterTest(filter: FilterNode, nodeOf: (condition: ConditionNode) => BoundNode): (tuple: Tuple) => boolean {
    const tests = filter.items.map((item) => (item.kind === 'filter' ? this.filterTest(item, nodeOf) : this.conditionTest(item, nodeOf(item))));
    if (filter.type === 'or') return (tuple) => tests.some((test) => test(tuple));
    return (tuple) => tests.every((test) => test(tuple));
  }

  private conditionTest(condition: ConditionNode, node: BoundNode): (tuple: Tuple) => boolean {
    const attribute = attributeOf(node.table, condition.attribute);
    const test = conditionTest(condition, node.table, attribute, this.environment);
    const { index } = node;
    const column = attribute.logicalName;
    return (tuple) => test(tuple[index]?.[column] ?? null);
  }
}

function attributeOf(table: TableDef, name: string): AttributeDef {
  const attribute = table.attributes.get(name);
  if (!attribute) throw errors.attributeNotFound(table.logicalName, name);
  return attribute;
}

/** QueryBuilderNoEntity, as a 400: a link-entity naming a table the organisation does not have. */
function unknownEntity(name: string) {
  const notFound = errors.entityMetadataNotFound(name);
  return fetchErrors.withStatus(notFound, 400);
}
