import { defineTable } from './define.js';
import { jobTables } from './job-tables.js';
import type { TableDef } from './types.js';

/**
 * The built-in tables the emulator serves, with the names, object type codes and columns that the
 * real service uses (a subset of each table's columns: the ones scripts and dvas touch).
 */
export function systemTables(): TableDef[] {
  return [
    defineTable({
      logicalName: 'account',
      displayName: 'Account',
      objectTypeCode: 1,
      ownershipType: 'UserOwned',
      columns: [
        { name: 'name', type: 'String', displayName: 'Account Name', maxLength: 160 },
        { name: 'accountnumber', type: 'String', displayName: 'Account Number', maxLength: 20 },
        { name: 'telephone1', type: 'String', displayName: 'Main Phone', maxLength: 50 },
        { name: 'emailaddress1', type: 'String', displayName: 'Email', maxLength: 100 },
        { name: 'websiteurl', type: 'String', displayName: 'Website', maxLength: 200 },
        { name: 'address1_city', type: 'String', displayName: 'Address 1: City', maxLength: 80 },
        { name: 'address1_country', type: 'String', displayName: 'Address 1: Country/Region', maxLength: 80 },
        { name: 'description', type: 'Memo', displayName: 'Description', maxLength: 2000 },
        { name: 'revenue', type: 'Money', displayName: 'Annual Revenue' },
        { name: 'numberofemployees', type: 'Integer', displayName: 'Number of Employees' },
        { name: 'creditonhold', type: 'Boolean', displayName: 'Credit Hold', options: { 0: 'No', 1: 'Yes' } },
        {
          name: 'industrycode',
          type: 'Picklist',
          displayName: 'Industry',
          options: { 1: 'Accounting', 2: 'Agriculture', 3: 'Broadcasting', 7: 'Consulting', 33: 'Retail' },
        },
        // The choice Microsoft's metadata pages use as their example (retrieve-metadata-name-metadataid).
        { name: 'accountcategorycode', type: 'Picklist', displayName: 'Category', options: { 1: 'Preferred Customer', 2: 'Standard' } },
        {
          name: 'customertypecode',
          type: 'Picklist',
          displayName: 'Relationship Type',
          options: { 1: 'Competitor', 2: 'Consultant', 3: 'Customer', 4: 'Investor', 5: 'Partner', 6: 'Influencer', 7: 'Press', 8: 'Prospect', 9: 'Reseller', 10: 'Supplier', 11: 'Vendor', 12: 'Other' },
        },
        { name: 'primarycontactid', type: 'Lookup', targets: ['contact'], displayName: 'Primary Contact' },
        { name: 'parentaccountid', type: 'Lookup', targets: ['account'], displayName: 'Parent Account' },
      ],
      navigations: [
        { kind: 'oneToMany', name: 'contact_customer_accounts', target: 'contact', referencingAttribute: 'parentcustomerid' },
        { kind: 'oneToMany', name: 'Account_Tasks', target: 'task', referencingAttribute: 'regardingobjectid' },
        { kind: 'oneToMany', name: 'account_parent_account', target: 'account', referencingAttribute: 'parentaccountid' },
      ],
    }),
    defineTable({
      logicalName: 'contact',
      displayName: 'Contact',
      objectTypeCode: 2,
      ownershipType: 'UserOwned',
      primaryNameAttribute: 'fullname',
      columns: [
        { name: 'fullname', type: 'String', displayName: 'Full Name', maxLength: 160, readOnly: true },
        { name: 'firstname', type: 'String', displayName: 'First Name', maxLength: 50 },
        { name: 'lastname', type: 'String', displayName: 'Last Name', maxLength: 50 },
        { name: 'emailaddress1', type: 'String', displayName: 'Email', maxLength: 100 },
        { name: 'telephone1', type: 'String', displayName: 'Business Phone', maxLength: 50 },
        { name: 'jobtitle', type: 'String', displayName: 'Job Title', maxLength: 100 },
        { name: 'birthdate', type: 'DateTime', displayName: 'Birthday' },
        {
          name: 'preferredcontactmethodcode',
          type: 'Picklist',
          displayName: 'Preferred Method of Contact',
          options: { 1: 'Any', 2: 'Email', 3: 'Phone', 4: 'Fax', 5: 'Mail' },
        },
        { name: 'donotemail', type: 'Boolean', displayName: 'Do not allow Emails', options: { 0: 'Allow', 1: 'Do Not Allow' } },
        { name: 'description', type: 'Memo', displayName: 'Description', maxLength: 2000 },
        { name: 'parentcustomerid', type: 'Customer', targets: ['account', 'contact'], displayName: 'Company Name' },
      ],
      navigations: [
        { kind: 'oneToMany', name: 'Contact_Tasks', target: 'task', referencingAttribute: 'regardingobjectid' },
      ],
    }),
    defineTable({
      logicalName: 'task',
      displayName: 'Task',
      objectTypeCode: 4212,
      ownershipType: 'UserOwned',
      primaryIdAttribute: 'activityid',
      primaryNameAttribute: 'subject',
      columns: [
        { name: 'subject', type: 'String', displayName: 'Subject', maxLength: 200 },
        { name: 'description', type: 'Memo', displayName: 'Description', maxLength: 2000 },
        { name: 'scheduledend', type: 'DateTime', displayName: 'Due Date' },
        { name: 'prioritycode', type: 'Picklist', displayName: 'Priority', options: { 0: 'Low', 1: 'Normal', 2: 'High' } },
        {
          name: 'regardingobjectid',
          type: 'Lookup',
          targets: ['account', 'contact'],
          displayName: 'Regarding',
          navigationNames: { account: 'regardingobjectid_account_task', contact: 'regardingobjectid_contact_task' },
        },
      ],
    }),
    defineTable({
      logicalName: 'systemuser',
      schemaName: 'SystemUser',
      privilegeSchemaName: 'User',
      displayName: 'User',
      objectTypeCode: 8,
      ownershipType: 'BusinessOwned',
      primaryNameAttribute: 'fullname',
      columns: [
        { name: 'fullname', type: 'String', displayName: 'Full Name', maxLength: 200, readOnly: true },
        { name: 'firstname', type: 'String', displayName: 'First Name', maxLength: 64 },
        { name: 'lastname', type: 'String', displayName: 'Last Name', maxLength: 64 },
        { name: 'internalemailaddress', type: 'String', displayName: 'Primary Email', maxLength: 100 },
        { name: 'domainname', type: 'String', displayName: 'User Name', maxLength: 1024 },
        { name: 'title', type: 'String', displayName: 'Title', maxLength: 128 },
        { name: 'azureactivedirectoryobjectid', type: 'Uniqueidentifier', displayName: 'Azure AD Object ID' },
        { name: 'applicationid', type: 'Uniqueidentifier', displayName: 'Application ID' },
        { name: 'isdisabled', type: 'Boolean', displayName: 'Status', options: { 0: 'Enabled', 1: 'Disabled' } },
        { name: 'islicensed', type: 'Boolean', displayName: 'User Licensed', options: { 0: 'No', 1: 'Yes' } },
        {
          name: 'accessmode',
          type: 'Picklist',
          displayName: 'Access Mode',
          options: { 0: 'Read-Write', 1: 'Administrative', 2: 'Read', 3: 'Support User', 4: 'Non-interactive', 5: 'Delegated Admin' },
        },
        { name: 'businessunitid', type: 'Lookup', targets: ['businessunit'], displayName: 'Business Unit' },
      ],
      navigations: [
        { kind: 'manyToMany', name: 'systemuserroles_association', target: 'role', relationship: 'systemuserroles_association' },
        { kind: 'manyToMany', name: 'teammembership_association', target: 'team', relationship: 'teammembership_association' },
        { kind: 'oneToMany', name: 'user_accounts', target: 'account', referencingAttribute: 'owninguser' },
      ],
    }),
    defineTable({
      logicalName: 'team',
      displayName: 'Team',
      objectTypeCode: 9,
      ownershipType: 'BusinessOwned',
      columns: [
        { name: 'name', type: 'String', displayName: 'Team Name', maxLength: 160 },
        {
          name: 'teamtype',
          type: 'Picklist',
          displayName: 'Team Type',
          options: { 0: 'Owner', 1: 'Access', 2: 'Security Group', 3: 'Office Group' },
        },
        { name: 'azureactivedirectoryobjectid', type: 'Uniqueidentifier', displayName: 'Azure AD Object Id for a group' },
        { name: 'isdefault', type: 'Boolean', displayName: 'Is Default', options: { 0: 'No', 1: 'Yes' } },
        { name: 'businessunitid', type: 'Lookup', targets: ['businessunit'], displayName: 'Business Unit' },
      ],
      navigations: [
        { kind: 'manyToMany', name: 'teammembership_association', target: 'systemuser', relationship: 'teammembership_association' },
        { kind: 'manyToMany', name: 'teamroles_association', target: 'role', relationship: 'teamroles_association' },
      ],
    }),
    defineTable({
      logicalName: 'businessunit',
      schemaName: 'BusinessUnit',
      displayName: 'Business Unit',
      objectTypeCode: 10,
      ownershipType: 'BusinessOwned',
      columns: [
        { name: 'name', type: 'String', displayName: 'Name', maxLength: 160 },
        { name: 'parentbusinessunitid', type: 'Lookup', targets: ['businessunit'], displayName: 'Parent Business' },
        { name: 'isdisabled', type: 'Boolean', displayName: 'Is Disabled', options: { 0: 'No', 1: 'Yes' } },
      ],
      navigations: [
        { kind: 'oneToMany', name: 'business_unit_system_users', target: 'systemuser', referencingAttribute: 'businessunitid' },
        { kind: 'oneToMany', name: 'business_unit_parent_business_unit', target: 'businessunit', referencingAttribute: 'parentbusinessunitid' },
      ],
    }),
    defineTable({
      logicalName: 'role',
      displayName: 'Security Role',
      objectTypeCode: 1036,
      ownershipType: 'BusinessOwned',
      columns: [
        { name: 'name', type: 'String', displayName: 'Name', maxLength: 100 },
        { name: 'businessunitid', type: 'Lookup', targets: ['businessunit'], displayName: 'Business Unit' },
        { name: 'ismanaged', type: 'Boolean', displayName: 'Is Managed', options: { 0: 'Unmanaged', 1: 'Managed' }, readOnly: true },
      ],
      navigations: [
        { kind: 'manyToMany', name: 'systemuserroles_association', target: 'systemuser', relationship: 'systemuserroles_association' },
        { kind: 'manyToMany', name: 'teamroles_association', target: 'team', relationship: 'teamroles_association' },
        { kind: 'manyToMany', name: 'roleprivileges_association', target: 'privilege', relationship: 'roleprivileges_association' },
      ],
    }),
    defineTable({
      logicalName: 'privilege',
      displayName: 'Privilege',
      objectTypeCode: 1023,
      // Reading the privilege catalogue is governed by the role privileges in the real service.
      privilegeSchemaName: 'Role',
      ownershipType: 'None',
      auditColumns: false,
      supportsCreateMultiple: false,
      columns: [
        { name: 'name', type: 'String', displayName: 'Name', maxLength: 100, readOnly: true },
        { name: 'accessright', type: 'Integer', displayName: 'Access Right', readOnly: true },
        { name: 'canbebasic', type: 'Boolean', displayName: 'Can Be Basic', readOnly: true },
        { name: 'canbelocal', type: 'Boolean', displayName: 'Can Be Local', readOnly: true },
        { name: 'canbedeep', type: 'Boolean', displayName: 'Can Be Deep', readOnly: true },
        { name: 'canbeglobal', type: 'Boolean', displayName: 'Can Be Global', readOnly: true },
      ],
      navigations: [
        { kind: 'manyToMany', name: 'roleprivileges_association', target: 'role', relationship: 'roleprivileges_association' },
      ],
    }),
    defineTable({
      logicalName: 'organization',
      displayName: 'Organization',
      objectTypeCode: 1019,
      ownershipType: 'OrganizationOwned',
      supportsCreateMultiple: false,
      columns: [
        { name: 'name', type: 'String', displayName: 'Name', maxLength: 160 },
        { name: 'languagecode', type: 'Integer', displayName: 'Language' },
      ],
    }),
    ...jobTables(),
  ];
}

/** Privileges that are not tied to a table's verbs ("miscellaneous privileges" in the role editor). */
export const MISCELLANEOUS_PRIVILEGES: readonly string[] = [
  'prvActOnBehalfOfAnotherUser',
  'prvBypassCustomPlugins',
  // MSCRM.BypassBusinessLogicExecution (optional-parameters: "The calling user must have the prvBypassCustomBusinessLogic privilege").
  'prvBypassCustomBusinessLogic',
  // Submitting a BulkDelete job (delete-data-bulk: "you must have BulkDelete and Delete privileges").
  'prvBulkDelete',
  'prvReadAuditSummary',
];
