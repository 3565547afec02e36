import { describe, expect, it } from 'vitest';
import { deterministicGuid } from '../../src/emulator/ids.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const ALL = { Prefer: 'odata.include-annotations="*"' };
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';
const LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

describe('Prefer: odata.include-annotations', () => {
  it('"*" adds formatted values and lookup annotations, each before its property, and is echoed', async () => {
    const id = deterministicGuid('account:Fourth Coffee');
    const response = await api(emulator(), 'GET', `accounts(${id})?$select=name,revenue,industrycode,statecode,createdon,_ownerid_value`, { headers: ALL });
    expect(response.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
    const body = response.json;
    const admin = user(emulator(), DEMO.admin);
    expect(Object.keys(body)).toEqual([
      '@odata.context',
      '@odata.etag',
      'name',
      `revenue@${FORMATTED}`,
      'revenue',
      `industrycode@${FORMATTED}`,
      'industrycode',
      `statecode@${FORMATTED}`,
      'statecode',
      `createdon@${FORMATTED}`,
      'createdon',
      `_ownerid_value@${FORMATTED}`,
      `_ownerid_value@${NAVIGATION}`,
      `_ownerid_value@${LOGICAL_NAME}`,
      '_ownerid_value',
      'accountid',
    ]);
    expect(body).toMatchObject({
      [`revenue@${FORMATTED}`]: '$1,200,000.00',
      [`industrycode@${FORMATTED}`]: 'Retail',
      [`statecode@${FORMATTED}`]: 'Active',
      [`_ownerid_value@${FORMATTED}`]: 'Alex Admin',
      [`_ownerid_value@${NAVIGATION}`]: 'ownerid',
      [`_ownerid_value@${LOGICAL_NAME}`]: 'systemuser',
      _ownerid_value: admin.systemuserid,
    });
    const created = new Date(body.createdon);
    const hours = created.getUTCHours();
    expect(body[`createdon@${FORMATTED}`]).toBe(
      `${created.getUTCMonth() + 1}/${created.getUTCDate()}/${created.getUTCFullYear()} ${hours % 12 || 12}:${String(created.getUTCMinutes()).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`,
    );
  });

  it('formats numbers, booleans and team owners', async () => {
    const response = await api(emulator(), 'GET', `accounts?$select=name,numberofemployees,creditonhold,_ownerid_value&$filter=${encodeURIComponent("name eq 'Alpine Ski House' or name eq 'Contoso Pharmaceuticals'")}&$orderby=name`, {
      headers: ALL,
    });
    const [alpine, contoso] = response.json.value;
    expect(alpine).toMatchObject({
      [`creditonhold@${FORMATTED}`]: 'Yes',
      creditonhold: true,
      [`_ownerid_value@${FORMATTED}`]: 'Sales Team',
      [`_ownerid_value@${LOGICAL_NAME}`]: 'team',
    });
    expect(contoso[`numberofemployees@${FORMATTED}`]).toBe('420');
    // No value, no annotation.
    expect(contoso).not.toHaveProperty(`creditonhold@${FORMATTED}`);
  });

  it('a customer lookup names the navigation property of the table it points at', async () => {
    const response = await api(emulator(), 'GET', `contacts(${deterministicGuid('contact:Nancy Anderson')})?$select=_parentcustomerid_value`, { headers: ALL });
    expect(response.json).toMatchObject({
      [`_parentcustomerid_value@${FORMATTED}`]: 'Fourth Coffee',
      [`_parentcustomerid_value@${NAVIGATION}`]: 'parentcustomerid_account',
      [`_parentcustomerid_value@${LOGICAL_NAME}`]: 'account',
    });
  });

  it('a list gives only the annotations named in it', async () => {
    const prefer = `odata.include-annotations="${FORMATTED}"`;
    const response = await api(emulator(), 'GET', 'accounts?$select=name,_ownerid_value&$top=1', { headers: { Prefer: prefer } });
    expect(response.headers.get('preference-applied')).toBe(prefer);
    const row = response.json.value[0];
    expect(row).toHaveProperty(`_ownerid_value@${FORMATTED}`);
    expect(row).not.toHaveProperty(`_ownerid_value@${LOGICAL_NAME}`);
    expect(response.json).not.toHaveProperty('@Microsoft.Dynamics.CRM.totalrecordcount');
  });

  it('without the preference there are no annotations and no Preference-Applied', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name,_ownerid_value&$top=1');
    expect(response.headers.get('preference-applied')).toBeNull();
    expect(Object.keys(response.json.value[0])).toEqual(['@odata.etag', 'name', '_ownerid_value', 'accountid']);
  });

  it('totalrecordcount is the count with $count=true, else -1', async () => {
    const prefer = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"' };
    const counted = await api(emulator(), 'GET', 'accounts?$select=name&$count=true', { headers: prefer });
    expect(Object.keys(counted.json)).toEqual([
      '@odata.context',
      '@odata.count',
      '@Microsoft.Dynamics.CRM.totalrecordcount',
      '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded',
      'value',
    ]);
    expect(counted.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(10);
    expect(counted.json['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(false);
    const uncounted = await api(emulator(), 'GET', 'accounts?$select=name', { headers: prefer });
    expect(uncounted.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(-1);
  });

  it('echoes both preferences when paging with annotations', async () => {
    const response = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { Prefer: 'odata.maxpagesize=2, odata.include-annotations="*"' } });
    expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=2,odata.include-annotations="*"');
  });
});
