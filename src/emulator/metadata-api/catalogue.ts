import { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import { Store } from '../store/store.js';
import type { ColumnValue, Row } from '../store/types.js';
import { ATTRIBUTE_METADATA_TYPES, attributeJson, entityJson, keyJson } from './items.js';
import {
  ATTRIBUTE_METADATA,
  DERIVED_ATTRIBUTE_TYPES,
  ENTITY_KEY_METADATA,
  ENTITY_METADATA,
  MANAGED_TABLES,
  MANY_TO_MANY_RELATIONSHIP_METADATA,
  ONE_TO_MANY_RELATIONSHIP_METADATA,
  type MetadataType,
} from './pseudo-tables.js';
import { tableRelationships } from './relationship-items.js';

/** One definition as served: its JSON, and its properties as a row for `$filter`. */
export interface MetadataItem {
  json: Record<string, unknown>;
  row: Row;
  /** Its most derived type (`PicklistAttributeMetadata` for a choice column). */
  type: MetadataType;
  /** The table it defines or belongs to. */
  table: TableDef;
}

export interface AttributeItem extends MetadataItem {
  attribute: AttributeDef;
}

/**
 * Every definition of an organisation, built once (metadata does not change while the emulator
 * runs), with the registry and store that `$filter` over them binds to: the metadata types and
 * the rows of their managed properties.
 */
export interface MetadataCatalogue {
  registry: MetadataRegistry;
  store: Store;
  entity(table: TableDef): MetadataItem;
  attributes(table: TableDef): readonly AttributeItem[];
  keys(table: TableDef): readonly MetadataItem[];
  /** `OneToManyRelationships`, `ManyToOneRelationships` or `ManyToManyRelationships` of the table. */
  relationships(table: TableDef, which: RelationshipCollection): readonly MetadataItem[];
}

export type RelationshipCollection = 'OneToManyRelationships' | 'ManyToOneRelationships' | 'ManyToManyRelationships';

export const RELATIONSHIP_COLLECTIONS: readonly RelationshipCollection[] = ['OneToManyRelationships', 'ManyToOneRelationships', 'ManyToManyRelationships'];

const catalogues = new WeakMap<MetadataRegistry, MetadataCatalogue>();

export function metadataCatalogue(metadata: MetadataRegistry): MetadataCatalogue {
  let catalogue = catalogues.get(metadata);
  if (!catalogue) {
    catalogue = buildCatalogue(metadata);
    catalogues.set(metadata, catalogue);
  }
  return catalogue;
}

function buildCatalogue(metadata: MetadataRegistry): MetadataCatalogue {
  const types = [ENTITY_METADATA, ATTRIBUTE_METADATA, ENTITY_KEY_METADATA, ONE_TO_MANY_RELATIONSHIP_METADATA, MANY_TO_MANY_RELATIONSHIP_METADATA, ...DERIVED_ATTRIBUTE_TYPES.values()];
  const registry = new MetadataRegistry(types.map((type) => type.table));
  for (const table of MANAGED_TABLES) registry.add(table);
  const store = new Store();
  const item = (type: MetadataType, json: Record<string, unknown>, table: TableDef): MetadataItem => ({ json, row: filterRow(store, type, json), type, table });
  const entities = new Map<TableDef, MetadataItem>();
  const attributes = new Map<TableDef, AttributeItem[]>();
  const keys = new Map<TableDef, MetadataItem[]>();
  const relationships = new Map<TableDef, Record<RelationshipCollection, MetadataItem[]>>();
  const relationshipItems = new Map<string, MetadataItem>();
  for (const table of metadata.all()) {
    entities.set(table, item(ENTITY_METADATA, entityJson(table), table));
    attributes.set(
      table,
      [...table.attributes.values()].map((attribute, index) => {
        const type = DERIVED_ATTRIBUTE_TYPES.get(ATTRIBUTE_METADATA_TYPES[attribute.type]) ?? ATTRIBUTE_METADATA;
        return { ...item(type, attributeJson(table, attribute, index + 1), table), attribute };
      }),
    );
    keys.set(table, table.keys.map((key) => item(ENTITY_KEY_METADATA, keyJson(table, key), table)));
    const found = tableRelationships(metadata, table);
    // Both tables of a relationship list it: one item, so that its managed properties are stored once.
    const shared = (type: MetadataType) => (json: Record<string, unknown>) => {
      const id = String(json.MetadataId);
      let known = relationshipItems.get(id);
      if (!known) relationshipItems.set(id, (known = item(type, json, table)));
      return known;
    };
    relationships.set(table, {
      OneToManyRelationships: found.oneToMany.map(shared(ONE_TO_MANY_RELATIONSHIP_METADATA)),
      ManyToOneRelationships: found.manyToOne.map(shared(ONE_TO_MANY_RELATIONSHIP_METADATA)),
      ManyToManyRelationships: found.manyToMany.map(shared(MANY_TO_MANY_RELATIONSHIP_METADATA)),
    });
  }
  return {
    registry,
    store,
    entity: (table) => entities.get(table) as MetadataItem,
    attributes: (table) => attributes.get(table) ?? [],
    keys: (table) => keys.get(table) ?? [],
    relationships: (table, which) => relationships.get(table)?.[which] ?? [],
  };
}

/** Scalars as they are; each managed property as a reference to a row of its own table. */
function filterRow(store: Store, type: MetadataType, json: Record<string, unknown>): Row {
  const id = String(json.MetadataId);
  const row: Row = { MetadataId: id };
  for (const name of type.table.attributes.keys()) {
    const target = type.managed[name];
    const value = json[name];
    if (target) {
      if (typeof value !== 'object' || value === null) continue;
      const managedId = `${id}:${name}`;
      store.insert(target, managedId, { Id: managedId, ...(value as Record<string, ColumnValue>) });
      row[name] = { table: target, id: managedId };
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      row[name] = value as ColumnValue;
    }
  }
  return row;
}
