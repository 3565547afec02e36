import { errors } from '../../http/errors.js';
import type { ComparisonOperator, FilterNode } from './ast.js';
import { MAX_NESTING, nestingTooDeep } from '../nesting-limit.js';
import { tokenize, type Token, type TokenKind } from './lexer.js';


const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const LITERAL_KINDS: ReadonlySet<TokenKind> = new Set(['string', 'number', 'guid', 'date', 'datetime', 'array']);

/**
 * Parses a $filter expression into a syntax tree, with ODataLib's precedence (or < and <
 * comparison < not) and its error messages and positions. Names are not checked here: binding
 * happens afterwards, as in the service, so a syntax error wins over an unknown property.
 */
export function parseFilter(text: string): FilterNode {
  const parser = new Parser(text);
  const node = parser.expression();
  parser.expectEnd();
  return node;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  /** A method, not a getter: TypeScript would otherwise keep a narrowed kind across next(). */
  private current(): Token {
    return this.tokens[this.index] as Token;
  }

  private peek(offset = 1): Token {
    return (this.tokens[this.index + offset] ?? this.tokens[this.tokens.length - 1]) as Token;
  }

  private next(): Token {
    const token = this.current();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isKeyword(word: string): boolean {
    return this.current().kind === 'identifier' && this.current().text === word;
  }

  private fail(message: string, position = this.current().position) {
    return errors.badQuery(`${message} at position ${position} in '${this.text}'.`);
  }

  expectEnd(): void {
    if (this.current().kind !== 'end') throw this.fail('Syntax error');
  }

  expression(): FilterNode {
    this.enter();
    const node = this.or();
    this.depth--;
    return node;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw nestingTooDeep();
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isKeyword('or')) {
      const position = this.next().position;
      left = { kind: 'logical', operator: 'or', left, right: this.and(), position };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.comparison();
    while (this.isKeyword('and')) {
      const position = this.next().position;
      left = { kind: 'logical', operator: 'and', left, right: this.comparison(), position };
    }
    return left;
  }

  private comparison(): FilterNode {
    let left = this.unary();
    while (this.current().kind === 'identifier' && COMPARISONS.has(this.current().text)) {
      const token = this.next();
      left = { kind: 'comparison', operator: token.text as ComparisonOperator, left, right: this.unary(), position: token.position };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isKeyword('not')) {
      const position = this.next().position;
      this.enter();
      const operand = this.unary();
      this.depth--;
      return { kind: 'not', operand, position };
    }
    return this.primary();
  }

  private primary(): FilterNode {
    const token = this.current();
    if (token.kind === 'openParen') {
      this.next();
      const inner = this.expression();
      if (this.current().kind !== 'closeParen') throw this.fail("')' or operator expected");
      this.next();
      return inner;
    }
    if (LITERAL_KINDS.has(token.kind)) {
      this.next();
      return { kind: 'literal', token };
    }
    if (token.kind === 'alias') {
      this.next();
      return { kind: 'alias', name: token.text, position: token.position };
    }
    if (token.kind === 'identifier') {
      if (token.text === 'true' || token.text === 'false' || token.text === 'null') {
        this.next();
        return { kind: 'keyword', value: token.text === 'null' ? null : token.text === 'true', position: token.position };
      }
      // An enum literal, `Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'`: compared by its member name.
      const next = this.peek();
      if (next.kind === 'string' && next.position === token.position + token.text.length) {
        this.next();
        this.next();
        return { kind: 'literal', token: next };
      }
      if (next.kind === 'openParen') return this.call();
      return this.path();
    }
    throw this.fail('Expression expected');
  }

  private call(): FilterNode {
    const name = this.next();
    this.next(); // (
    if (name.text.includes('.')) return this.queryFunction(name);
    const args: FilterNode[] = [];
    if (this.current().kind !== 'closeParen') {
      for (;;) {
        args.push(this.expression());
        if (this.current().kind === 'comma') {
          this.next();
          continue;
        }
        if (this.current().kind !== 'closeParen') throw this.fail("')' or ',' expected");
        break;
      }
    }
    this.next(); // )
    return { kind: 'call', name: name.text, args, position: name.position };
  }

  /**
   * Dataverse query functions take named parameters: `Name=value,…`. A value is read as a primary,
   * which may be another call, so each call counts as a level of nesting.
   */
  private queryFunction(name: Token): FilterNode {
    this.enter();
    const parameters = new Map<string, FilterNode>();
    if (this.current().kind !== 'closeParen') {
      for (;;) {
        const parameter = this.current();
        if (parameter.kind !== 'identifier' || this.peek().kind !== 'equals') throw this.fail('Syntax error');
        this.next();
        this.next();
        parameters.set(parameter.text, this.primary());
        if (this.current().kind === 'comma') {
          this.next();
          continue;
        }
        if (this.current().kind !== 'closeParen') throw this.fail("')' or ',' expected");
        break;
      }
    }
    this.next(); // )
    this.depth--;
    return { kind: 'queryFunction', name: name.text, parameters, position: name.position };
  }

  /** `a/b/c`, possibly ending in a lambda: `nav/any(v: …)`. */
  private path(): FilterNode {
    const position = this.current().position;
    const segments = [this.next().text];
    while (this.current().kind === 'slash') {
      this.next();
      const segment = this.current();
      if (segment.kind !== 'identifier') throw this.fail('Syntax error');
      this.next();
      if ((segment.text === 'any' || segment.text === 'all') && this.current().kind === 'openParen') {
        return this.lambda(segments, segment.text, position);
      }
      segments.push(segment.text);
    }
    return { kind: 'path', segments, position };
  }

  private lambda(path: string[], operator: 'any' | 'all', position: number): FilterNode {
    this.next(); // (
    if (this.current().kind === 'closeParen') {
      this.next();
      return { kind: 'lambda', path, operator, position };
    }
    const variable = this.current();
    if (variable.kind !== 'identifier' || this.peek().kind !== 'colon') throw this.fail('Syntax error');
    this.next();
    this.next(); // :
    const body = this.expression();
    if (this.current().kind !== 'closeParen') throw this.fail("')' or operator expected");
    this.next();
    return { kind: 'lambda', path, operator, variable: variable.text, body, position };
  }
}
