/**
 * A FetchXML query as read from its XML, before it is bound to the tables: the elements and
 * attributes of Microsoft's FetchXML reference (fetchxml/reference/*) that the emulator implements.
 */
export interface FetchQuery {
  entity: EntityNode;
  top: number | undefined;
  /** Page size (`count`) and page number (`page`). */
  count: number | undefined;
  page: number | undefined;
  pagingCookie: string | undefined;
  distinct: boolean;
  aggregate: boolean;
  aggregateLimit: number | undefined;
  returnTotalRecordCount: boolean;
  /** Order choice columns by value rather than by label (order-rows). */
  rawOrderBy: boolean;
}

export interface EntityNode {
  name: string;
  allAttributes: boolean;
  attributes: AttributeNode[];
  orders: OrderNode[];
  filters: FilterNode[];
  links: LinkNode[];
}

export type LinkType = 'inner' | 'outer';

export interface LinkNode extends EntityNode {
  from: string | undefined;
  to: string | undefined;
  alias: string | undefined;
  linkType: LinkType;
}

export const AGGREGATES = ['count', 'countcolumn', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFunction = (typeof AGGREGATES)[number];

export interface AttributeNode {
  name: string;
  alias: string | undefined;
  aggregate: AggregateFunction | undefined;
  groupBy: boolean;
  /** `distinct` on a `countcolumn` aggregate: count each value once. */
  distinct: boolean;
}

export interface OrderNode {
  attribute: string | undefined;
  /** An aggregate query orders by the alias of one of its attributes. */
  alias: string | undefined;
  descending: boolean;
  /** The alias of a link-entity, when an order on the entity sorts by a linked column. */
  entityName: string | undefined;
}

export interface FilterNode {
  kind: 'filter';
  type: 'and' | 'or';
  items: Array<FilterNode | ConditionNode>;
}

export interface ConditionNode {
  kind: 'condition';
  attribute: string;
  operator: string;
  /** The `value` attribute, for operators that compare with one value. */
  value: string | undefined;
  /** The `value` child elements, for operators that compare with several. */
  values: string[];
  /** The alias of a link-entity whose column the condition tests (a condition in the entity's filter). */
  entityName: string | undefined;
}
