import { describe, expect, it } from 'vitest';
import { ODataError } from '../../src/emulator/http/errors.js';
import { compileFilter, type FilterEnvironment } from '../../src/emulator/odata/filter/compile.js';
import { demoSeed } from '../../src/emulator/seed/demo.js';
import { loadSeed } from '../../src/emulator/seed/load.js';
import type { Row } from '../../src/emulator/store/types.js';

const organization = loadSeed(demoSeed());
const accountTable = organization.metadata.require('account');
const accounts = [...organization.store.rows('account').values()];
const admin = [...organization.store.rows('systemuser').values()].find((user) => user.internalemailaddress === 'admin@contoso.com') as Row;

function environment(aliases: Record<string, string> = {}): FilterEnvironment {
  return {
    metadata: organization.metadata,
    store: organization.store,
    aliases: new Map(Object.entries(aliases)),
    userId: String(admin.systemuserid),
    businessUnitId: organization.rootBusinessUnitId,
    now: Date.parse('2026-01-05T12:00:00Z'),
  };
}

function names(filter: string, aliases: Record<string, string> = {}, table = 'account'): string[] {
  const definition = organization.metadata.require(table);
  const predicate = compileFilter(filter, definition, environment(aliases));
  const rows = table === 'account' ? accounts : [...organization.store.rows(table).values()];
  return rows.filter(predicate).map((row) => String(row[definition.primaryNameAttribute])).sort();
}

function failure(filter: string, table = accountTable): ODataError {
  try {
    compileFilter(filter, table, environment());
  } catch (error) {
    if (error instanceof ODataError) return error;
    throw error;
  }
  throw new Error(`'${filter}' compiled without an error`);
}

describe('$filter syntax errors (ODataLib messages and positions)', () => {
  it.each([
    ["lastname eq 'O'Bryan'", "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''."],
    ["name eq 'abc", "There is an unterminated literal at position 12 in 'name eq 'abc'."],
    ['name eq', "Expression expected at position 7 in 'name eq'."],
    ["name eq 'a' and", "Expression expected at position 15 in 'name eq 'a' and'."],
    ["(name eq 'a'", "')' or operator expected at position 12 in '(name eq 'a''."],
    ["name eq 'a')", "Syntax error at position 11 in 'name eq 'a')'."],
    ["name foo 'a'", "Syntax error at position 5 in 'name foo 'a''."],
    ['name eq #', "Syntax error: character '#' is not valid at position 8 in 'name eq #'."],
    ["contains(name,'a'", "')' or ',' expected at position 17 in 'contains(name,'a''."],
  ])('%s', (filter, message) => {
    const error = failure(filter);
    expect(error.status).toBe(400);
    expect(error.code).toBe('0x0');
    expect(error.message).toBe(message);
  });
});

describe('$filter binding errors', () => {
  it.each([
    ["Name eq 'a'", "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'."],
    ["parentcustomerid eq null", "Could not find a property named 'parentcustomerid' on type 'Microsoft.Dynamics.CRM.account'."],
    ['name eq 5', "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'."],
    ["accountid eq 'x'", "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'."],
    ["tolower(name) eq 'a'", "An unknown function with name 'tolower' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."],
    ['contains(name,5)', "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true)."],
    ['name', 'The $filter expression must evaluate to a single boolean value.'],
    ["not Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a'])", 'Not operator along with the Custom Named Condition operators is not allowed'],
    ["Microsoft.Dynamics.CRM.In(PropertyName=@unset,PropertyValues=['a'])", "The function 'Microsoft.Dynamics.CRM.In' requires the parameter 'PropertyName'."],
    ["Microsoft.Dynamics.CRM.Nope(PropertyName='name')", "An unknown function with name 'Microsoft.Dynamics.CRM.Nope' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."],
    // Names every JavaScript object has: they are no query functions either.
    ...['constructor', '__proto__', 'toString', 'hasOwnProperty'].map((name) => [
      `Microsoft.Dynamics.CRM.${name}(PropertyName='name')`,
      `An unknown function with name 'Microsoft.Dynamics.CRM.${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
    ]),
    ["contact_customer_accounts eq null", "The operand for a binary operator 'Equal' is not a single value. Binary operators require both operands to be single values."],
    ["primarycontactid/any(c:c/fullname eq 'a')", 'Any/All may only be used following a collection.'],
  ])('%s', (filter, message) => {
    expect(failure(filter).message).toBe(message);
  });

  it('refuses nesting deeper than ODataLib allows instead of exhausting the stack', () => {
    expect(failure(`${'('.repeat(5000)}name eq 'a'${')'.repeat(5000)}`).message).toBe('Recursion depth exceeded allowed limit.');
    expect(failure(`${'not '.repeat(5000)}contains(name,'a')`).message).toBe('Recursion depth exceeded allowed limit.');
  });

  it('counts query functions nested in query function parameters as nesting', () => {
    const nested = `${'Microsoft.Dynamics.CRM.In(PropertyName='.repeat(20_000)}'name'${')'.repeat(20_000)}`;
    expect(failure(nested).message).toBe('Recursion depth exceeded allowed limit.');
  });

  it('applies the limit to the bound tree too: an and/or chain binds as deep as it is long', () => {
    expect(failure(Array(20_000).fill("name eq 'a'").join(' and ')).message).toBe('Recursion depth exceeded allowed limit.');
    expect(failure(Array(900).fill("name eq 'a'").join(' or ')).message).toBe('Recursion depth exceeded allowed limit.');
    // Well below the limit, a long chain is an ordinary filter.
    expect(names(Array(700).fill("name eq 'Fourth Coffee'").join(' or '))).toEqual(['Fourth Coffee']);
  });

  it('applies the limit across parameter aliases, which are parsed one by one', () => {
    const aliases = { '@a': `${'not '.repeat(500)}@b`, '@b': `${'not '.repeat(500)}contains(name,'a')` };
    const error = (() => {
      try {
        compileFilter('@a', accountTable, environment(aliases));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ODataError);
    expect((error as ODataError).message).toBe('Recursion depth exceeded allowed limit.');
  });

  it('refuses a wildcard set that is no valid pattern', () => {
    expect(failure("contains(name,'[z-a]')").message).toBe("The pattern '[z-a]' is not a valid wildcard pattern.");
  });

  it('reports an unknown query function property with the QueryBuilder code', () => {
    const error = failure("Microsoft.Dynamics.CRM.In(PropertyName='nope',PropertyValues=['a'])");
    expect(error.code).toBe('0x80041103');
    expect(error.message).toBe("'account' entity doesn't contain attribute with Name = 'nope' and NameMapping = 'Logical'.");
  });

  it('reads a single-quoted array with a stray quote as the service does', () => {
    expect(failure("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['O'Brian'])").message).toBe(
      "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.",
    );
  });
});

describe('$filter evaluation', () => {
  it('compares strings case-insensitively and unescapes doubled quotes', () => {
    expect(names("name eq 'FOURTH COFFEE'")).toEqual(['Fourth Coffee']);
    expect(names("name eq 'O''Brien Logistics'")).toEqual(["O'Brien Logistics"]);
  });

  it('supports contains/startswith/endswith, not, and/or and parentheses', () => {
    expect(names("contains(name,'inc')")).toEqual(['Fabrikam, Inc.', 'Litware, Inc.']);
    expect(names("startswith(name,'co') and not contains(name,'winery')")).toEqual(['Contoso Pharmaceuticals']);
    expect(names("(endswith(name,'inc.') or address1_city eq 'Napa') and address1_city ne 'Dallas'")).toEqual(['Coho Winery', 'Fabrikam, Inc.']);
  });

  it('treats %, _ and [] in string functions as SQL LIKE wildcards', () => {
    expect(names("startswith(name,'c_ho')")).toEqual(['Coho Winery']);
    expect(names("contains(name,'[xy]onder')")).toEqual(['Blue Yonder Airlines']);
  });

  it('uses three-valued logic: null never equals or differs from a value', () => {
    const withRevenue = names('revenue ne null');
    expect(withRevenue).toEqual(['Adventure Works', 'Fourth Coffee']);
    expect(names('revenue gt 2000000')).toEqual(['Adventure Works']);
    expect(names('not (revenue gt 2000000)')).toEqual(['Fourth Coffee']);
    expect(names('revenue eq null').length).toBe(accounts.length - 2);
  });

  it('compares numbers, booleans, GUIDs (quoted or not) and dates', () => {
    expect(names('numberofemployees ge 420 and numberofemployees lt 421.5')).toEqual(['Contoso Pharmaceuticals']);
    expect(names('creditonhold eq true')).toEqual(['Alpine Ski House']);
    const id = String(accounts[0]?.accountid);
    expect(names(`accountid eq ${id.toUpperCase()}`)).toEqual([String(accounts[0]?.name)]);
    expect(names(`_ownerid_value eq '${admin.systemuserid}'`)).toEqual(['Contoso Pharmaceuticals', 'Fourth Coffee']);
    expect(names('createdon gt 2026-01-05 and createdon lt 2100-01-01T00:00:00Z').length).toBe(accounts.length);
  });

  it('follows single-valued navigation properties and lookup values', () => {
    expect(names("owninguser/fullname eq 'Sam Sales'")).toEqual(['Adventure Works', 'Litware, Inc.']);
    expect(names("primarycontactid eq null and _owningteam_value ne null")).toEqual(['Alpine Ski House']);
  });

  it('evaluates any() and all() over collection-valued navigation properties', () => {
    expect(names("contact_customer_accounts/any(c:c/lastname eq 'McKay')")).toEqual(['Litware, Inc.']);
    expect(names('contact_customer_accounts/any()')).toHaveLength(7);
    expect(names("contact_customer_accounts/all(c:endswith(c/emailaddress1,'.com'))")).toHaveLength(accounts.length);
  });

  it('evaluates Dataverse query functions, with parameter aliases', () => {
    expect(names("Microsoft.Dynamics.CRM.In(PropertyName='address1_city',PropertyValues=['redmond','Napa'])")).toEqual([
      'City Power & Light',
      'Coho Winery',
      'Contoso Pharmaceuticals',
    ]);
    expect(names('Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)', { '@p1': "'accountnumber'", '@p2': '["ACC-001","ACC-010"]' })).toEqual([
      'Fourth Coffee',
      "O'Brien Logistics",
    ]);
    expect(names('Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])')).toEqual(['Contoso Pharmaceuticals']);
    expect(names("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')")).toEqual(['Contoso Pharmaceuticals', 'Fourth Coffee']);
    expect(names("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=1)")).toHaveLength(accounts.length);
    expect(names('name eq @name', { '@name': "'Coho Winery'" })).toEqual(['Coho Winery']);
    expect(names('name eq @missing')).toEqual([]);
  });
});
