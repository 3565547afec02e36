import { deterministicGuid } from '../ids.js';
import { relationship } from '../metadata/relationships.js';
import type { MetadataRegistry } from '../metadata/registry.js';
import type { NavigationDef, TableDef } from '../metadata/types.js';
import { managed } from './labels.js';

/**
 * The relationship definitions of a table (EntityDefinitions(…)/OneToManyRelationships,
 * ManyToOneRelationships, ManyToManyRelationships), read off its navigation properties, in the
 * shapes of the Web API reference (…/webapi/reference/onetomanyrelationshipmetadata,
 * …/manytomanyrelationshipmetadata). A 1:N relationship is named after its collection-valued
 * navigation property (contact_customer_accounts), as Dataverse names them; the properties the
 * emulator does not model are those of a standard system relationship (docs/emulator-decisions.md).
 */
export interface TableRelationships {
  oneToMany: Record<string, unknown>[];
  manyToOne: Record<string, unknown>[];
  manyToMany: Record<string, unknown>[];
}

export function tableRelationships(metadata: MetadataRegistry, table: TableDef): TableRelationships {
  const oneToMany: Record<string, unknown>[] = [];
  const manyToOne: Record<string, unknown>[] = [];
  const manyToMany: Record<string, unknown>[] = [];
  for (const navigation of table.navigations.values()) {
    if (navigation.kind === 'single') {
      const referenced = metadata.table(navigation.target);
      if (!referenced) continue;
      const partner = [...referenced.navigations.values()].find(
        (candidate) => candidate.kind === 'oneToMany' && candidate.target === table.logicalName && candidate.referencingAttribute === navigation.attribute,
      );
      manyToOne.push(oneToManyJson(partner?.name ?? `${navigation.name}_${table.logicalName}`, referenced, partner?.name ?? null, table, navigation.attribute, navigation.name));
    } else if (navigation.kind === 'oneToMany') {
      const referencing = metadata.table(navigation.target);
      if (!referencing) continue;
      const partner = [...referencing.navigations.values()].find(
        (candidate) => candidate.kind === 'single' && candidate.target === table.logicalName && candidate.attribute === navigation.referencingAttribute,
      );
      oneToMany.push(oneToManyJson(navigation.name, table, navigation.name, referencing, navigation.referencingAttribute, partner?.name ?? null));
    } else {
      const json = manyToManyJson(metadata, navigation);
      if (json) manyToMany.push(json);
    }
  }
  return { oneToMany, manyToOne, manyToMany };
}

function relationshipBase(schemaName: string, type: 'OneToManyRelationship' | 'ManyToManyRelationship'): Record<string, unknown> {
  return {
    MetadataId: deterministicGuid(`relationship-metadata:${schemaName}`),
    HasChanged: null,
    SchemaName: schemaName,
    RelationshipType: type,
    IsCustomRelationship: false,
    IsManaged: true,
    IsValidForAdvancedFind: true,
    IntroducedVersion: '1.0',
    SecurityTypes: 'Append',
    IsCustomizable: managed(true, 'iscustomizable'),
  };
}

function oneToManyJson(
  schemaName: string,
  referenced: TableDef,
  referencedNavigation: string | null,
  referencing: TableDef,
  referencingAttribute: string,
  referencingNavigation: string | null,
): Record<string, unknown> {
  return {
    ...relationshipBase(schemaName, 'OneToManyRelationship'),
    ReferencedAttribute: referenced.primaryIdAttribute,
    ReferencedEntity: referenced.logicalName,
    ReferencingAttribute: referencingAttribute,
    ReferencingEntity: referencing.logicalName,
    ReferencedEntityNavigationPropertyName: referencedNavigation,
    ReferencingEntityNavigationPropertyName: referencingNavigation,
    IsHierarchical: false,
  };
}

/** Entity1 is the relationship's left side (the one whose id the association store keeps first). */
function manyToManyJson(metadata: MetadataRegistry, navigation: Extract<NavigationDef, { kind: 'manyToMany' }>): Record<string, unknown> | undefined {
  const def = relationship(navigation.relationship);
  const left = def && metadata.table(def.left);
  const right = def && metadata.table(def.right);
  if (!def || !left || !right) return undefined;
  const navigationOn = (table: TableDef) =>
    [...table.navigations.values()].find((candidate) => candidate.kind === 'manyToMany' && candidate.relationship === def.name)?.name ?? null;
  return {
    ...relationshipBase(def.name, 'ManyToManyRelationship'),
    Entity1LogicalName: left.logicalName,
    Entity2LogicalName: right.logicalName,
    Entity1IntersectAttribute: left.primaryIdAttribute,
    Entity2IntersectAttribute: right.primaryIdAttribute,
    Entity1NavigationPropertyName: navigationOn(left),
    Entity2NavigationPropertyName: navigationOn(right),
    IntersectEntityName: def.name.replace(/_association$/, ''),
  };
}
