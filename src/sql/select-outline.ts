// The clause structure of a SELECT as SQLite reads it, from the statement's tokens: every
// SELECT in it (subqueries and CTE bodies included) with its FROM items and where its FROM and
// WHERE clauses end, and every common table expression with the SELECTs of its body. Enough to
// place a call in each WHERE clause (cancel-checks.ts) without regenerating the SQL text:
// expressions are skipped, only their parentheses and subqueries are followed.

import { isKeyword, type Token } from './lexer.ts';

export interface SelectOutline {
  /** Every SELECT (and VALUES) of the statement, nested ones included. */
  readonly cores: readonly CoreOutline[];
  readonly ctes: readonly CteOutline[];
}

/**
 * The name SQLite gives a result column, as far as the text tells: a name, or the text of the
 * expression (SQLite names an expression without AS after its text). A guess in rare forms
 * (`likely(x)` is named x): whoever uses it must let SQLite confirm it.
 */
export type ColumnName = { readonly name: string } | { readonly text: { readonly first: Token; readonly last: Token } };

export interface CoreOutline {
  /** The name of its first result column; absent for `*`. */
  readonly firstColumn?: ColumnName;
  /** The items of its FROM clause, those inside parenthesised joins included. */
  readonly from: readonly FromItem[];
  /** The last token of its FROM clause; absent without one. */
  readonly fromLast?: Token;
  readonly where?: { readonly keyword: Token; readonly last: Token };
}

export interface FromItem {
  /** A table or CTE name, a table-valued function, or a subquery. */
  readonly kind: 'name' | 'function' | 'subquery';
  /** The first token of the item (a name's first part). */
  readonly first: Token;
  /** For a name: its last part, and whether a schema qualifies it (`main.t`). */
  readonly name?: Token;
  readonly qualified?: boolean;
  readonly alias?: Token;
  /** For a subquery: the name of its first column. */
  readonly firstColumn?: ColumnName;
}

export interface CteOutline {
  readonly name: Token;
  /** The name of its first column: from its column list, or its first SELECT. */
  readonly firstColumn?: ColumnName;
  /** The SELECTs of its body joined by UNION, INTERSECT or EXCEPT (its subqueries not included). */
  readonly members: readonly CoreOutline[];
}

/** Thrown when the tokens are not a SELECT as SQLite would read it; `token` is where (absent: at the end). */
export class OutlineError extends Error {
  readonly token?: Token;
  constructor(message: string, token: Token | undefined) {
    super(message);
    this.token = token;
  }
}

/** The outline of one SELECT statement (`WITH …` included); throws OutlineError on text it cannot follow. */
export function outlineSelect(tokens: readonly Token[]): SelectOutline {
  return new OutlineParser(tokens.filter((token) => token.kind !== 'hint')).statement();
}

/** Words that end a clause of a SELECT core when they stand outside parentheses (WINDOW only as `WINDOW w AS`: isWindowClause). */
export const CLAUSE_WORDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT'];
/** Words that start a join operator (SQLite's JOIN_KW), always followed by JOIN in the end. */
const JOIN_WORDS = ['NATURAL', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'CROSS', 'OUTER'];
/** Words after a FROM item that are not its alias. */
const NOT_ALIASES = [...CLAUSE_WORDS, ...JOIN_WORDS, 'JOIN', 'ON', 'USING', 'INDEXED', 'NOT', 'WINDOW'];

class OutlineParser {
  private readonly tokens: readonly Token[];
  private at = 0;
  private readonly cores: CoreOutline[] = [];
  private readonly ctes: CteOutline[] = [];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  statement(): SelectOutline {
    this.query();
    if (this.at < this.tokens.length) throw this.error('the end of the statement');
    return { cores: this.cores, ctes: this.ctes };
  }

  /** `[WITH …] core (UNION|INTERSECT|EXCEPT core)* [ORDER BY …] [LIMIT …]`; returns its cores. */
  private query(): CoreOutline[] {
    if (this.acceptWord('WITH')) this.withClause();
    const members = [this.core()];
    while (this.compoundOperator()) members.push(this.core());
    while (this.isWord('ORDER', 'LIMIT')) {
      this.at++;
      this.skipExpressions();
    }
    return members;
  }

  private withClause(): void {
    this.acceptWord('RECURSIVE');
    do {
      const name = this.name();
      const listed = this.isPunct('(') ? nameAt(this.tokens, this.at + 1) : undefined;
      if (this.isPunct('(')) this.skipGroup();
      this.expectWord('AS');
      this.acceptWord('NOT');
      this.acceptWord('MATERIALIZED');
      this.expectPunct('(');
      const members = this.query();
      this.expectPunct(')');
      this.ctes.push({ name, firstColumn: listed ? { name: listed.value } : members[0].firstColumn, members });
    } while (this.acceptPunct(','));
  }

  private compoundOperator(): boolean {
    if (this.acceptWord('UNION')) {
      this.acceptWord('ALL');
      return true;
    }
    return this.acceptWord('INTERSECT') || this.acceptWord('EXCEPT');
  }

  private core(): CoreOutline {
    if (this.acceptWord('VALUES')) {
      this.skipExpressions();
      return this.add({ firstColumn: { name: 'column1' }, from: [] });
    }
    this.expectWord('SELECT');
    if (!this.acceptWord('DISTINCT')) this.acceptWord('ALL');
    const firstColumn = columnNameAt(this.tokens, this.at);
    this.skipExpressions();
    const from = this.acceptWord('FROM') ? this.joinClause() : [];
    const fromLast = from.length > 0 ? this.tokens[this.at - 1] : undefined;
    const where = this.whereClause();
    // GROUP BY, HAVING and WINDOW: skipped (their subqueries are outlined).
    while (this.isWord('GROUP', 'HAVING') || this.isWindowClause()) {
      this.at++;
      this.skipExpressions();
    }
    return this.add({ firstColumn, from, fromLast, where });
  }

  private add(core: CoreOutline): CoreOutline {
    this.cores.push(core);
    return core;
  }

  private whereClause(): CoreOutline['where'] {
    if (!this.isWord('WHERE')) return undefined;
    const keyword = this.tokens[this.at++];
    this.skipExpressions();
    if (this.tokens[this.at - 1] === keyword) throw this.error('a condition');
    return { keyword, last: this.tokens[this.at - 1] };
  }

  /** FROM items joined by commas or JOIN operators, each with its ON or USING. */
  private joinClause(): FromItem[] {
    const items: FromItem[] = [];
    do {
      items.push(...this.fromItem());
      if (this.acceptWord('ON')) this.skipExpressions(true);
      else if (this.acceptWord('USING')) this.skipGroup();
    } while (this.acceptPunct(',') || this.joinOperator());
    return items;
  }

  private fromItem(): FromItem[] {
    const first = this.tokens[this.at];
    if (this.acceptPunct('(')) {
      if (this.startsQuery()) {
        const [firstMember] = this.query();
        this.expectPunct(')');
        return [{ kind: 'subquery', first, alias: this.alias(), firstColumn: firstMember.firstColumn }];
      }
      // `(a JOIN b)`: SQLite lets the outer SELECT name a and b, alias or not.
      const inner = this.joinClause();
      this.expectPunct(')');
      this.alias();
      return inner;
    }
    let name = this.name();
    let qualified = false;
    while (this.acceptPunct('.')) {
      name = this.name();
      qualified = true;
    }
    if (this.isPunct('(')) {
      this.skipGroup();
      return [{ kind: 'function', first, alias: this.alias() }];
    }
    const alias = this.alias();
    if (this.isWord('INDEXED')) this.at += 3;
    else if (this.isWord('NOT') && isKeyword(this.tokens[this.at + 1], 'INDEXED')) this.at += 2;
    return [{ kind: 'name', first, name, qualified, alias }];
  }

  private alias(): Token | undefined {
    if (this.acceptWord('AS')) return this.name();
    const token = this.tokens[this.at];
    const isAlias = token?.kind === 'quoted' || (token?.kind === 'word' && !isKeyword(token, ...NOT_ALIASES));
    return isAlias ? this.tokens[this.at++] : undefined;
  }

  /** `JOIN`, or join words ending with JOIN (`LEFT OUTER JOIN`); a join word alone is a name. */
  private joinOperator(): boolean {
    const end = this.joinOperatorEnd();
    if (end === undefined) return false;
    this.at = end;
    return true;
  }

  /** The token after the join operator here, if one starts here. */
  private joinOperatorEnd(): number | undefined {
    let ahead = this.at;
    while (isKeyword(this.tokens[ahead], ...JOIN_WORDS)) ahead++;
    return isKeyword(this.tokens[ahead], 'JOIN') ? ahead + 1 : undefined;
  }

  private name(): Token {
    const found = nameAt(this.tokens, this.at);
    if (!found) throw this.error('a name');
    this.at = found.next;
    return found.token;
  }

  /**
   * Skips an expression list up to the end of its clause: a clause word or `)` outside
   * parentheses, or the end; an ON condition also ends at a comma or a join operator.
   * Parenthesised groups are followed for the subqueries inside.
   */
  private skipExpressions(isJoinCondition = false): void {
    while (this.at < this.tokens.length) {
      const token = this.tokens[this.at];
      if (this.isPunct(')') || isKeyword(token, ...CLAUSE_WORDS) || this.isWindowClause()) return;
      if (isJoinCondition && (this.isPunct(',') || this.joinOperatorEnd() !== undefined)) return;
      if (this.isPunct('(')) this.skipGroup();
      else this.at++;
    }
  }

  /** `( … )`: a subquery is outlined; anything else is skipped, its own groups followed. */
  private skipGroup(): void {
    this.expectPunct('(');
    if (this.startsQuery()) this.query();
    else {
      while (this.at < this.tokens.length && !this.isPunct(')')) {
        if (this.isPunct('(')) this.skipGroup();
        else this.at++;
      }
    }
    this.expectPunct(')');
  }

  private startsQuery(): boolean {
    return this.isWord('SELECT', 'WITH', 'VALUES');
  }

  /** SQLite reads WINDOW as a keyword only in `WINDOW name AS (…)`; elsewhere it is a name. */
  private isWindowClause(): boolean {
    return this.isWord('WINDOW') && isKeyword(this.tokens[this.at + 2], 'AS');
  }

  private isWord(...words: string[]): boolean {
    return isKeyword(this.tokens[this.at], ...words);
  }

  private isPunct(value: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'punct' && token.value === value;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.at++;
    return true;
  }

  private acceptPunct(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.at++;
    return true;
  }

  private expectPunct(value: string): void {
    if (!this.acceptPunct(value)) throw this.error(`"${value}"`);
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.error(word);
  }

  private error(expected: string): OutlineError {
    const token = this.tokens[this.at];
    return new OutlineError(`expected ${expected} ${token ? `at "${token.value}"` : 'at the end'}`, token);
  }
}

/** A name at `at`: a word, a quoted name, or a hyphenated run of words (`data-factory`, one name to skyql). */
function nameAt(tokens: readonly Token[], at: number): { token: Token; value: string; next: number } | undefined {
  const first = tokens[at];
  if (first?.kind !== 'word' && first?.kind !== 'quoted') return undefined;
  let { value, end } = first;
  let next = at + 1;
  while (
    tokens[next]?.kind === 'punct' &&
    tokens[next].value === '-' &&
    tokens[next].offset === end &&
    tokens[next + 1]?.kind === 'word' &&
    tokens[next + 1].offset === end + 1
  ) {
    value += `-${tokens[next + 1].value}`;
    end = tokens[next + 1].end;
    next += 2;
  }
  return { token: end === first.end ? first : { kind: 'word', value, offset: first.offset, end }, value, next };
}

const isPunct = (token: Token | undefined, value: string) => token?.kind === 'punct' && token.value === value;
/** Words after which a name is an operand, not an alias (`x COLLATE nocase`, `a AND b`). */
const OPERATOR_WORDS = ['AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'GLOB', 'REGEXP', 'MATCH', 'BETWEEN', 'ESCAPE', 'COLLATE', 'CASE', 'WHEN', 'THEN', 'ELSE'];
/** Words that end an expression and are never an alias. */
const EXPRESSION_WORDS = ['END', 'NULL', 'TRUE', 'FALSE', 'NOTNULL', 'ISNULL', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP'];

/**
 * The name SQLite gives the result column that starts at `start`: its alias (`AS name`, or a
 * name after the expression), a column's name (`name`, `t.name`, in parentheses or with a
 * COLLATE), or else the expression's text. Absent for `*` and `t.*`.
 */
function columnNameAt(tokens: readonly Token[], start: number): ColumnName | undefined {
  let end = start;
  let as = -1;
  for (let depth = 0; end < tokens.length; end++) {
    const token = tokens[end];
    if (depth === 0 && (isPunct(token, ',') || isPunct(token, ')') || isKeyword(token, ...CLAUSE_WORDS))) break;
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && isKeyword(token, 'AS')) as = end;
  }
  if (end === start || isPunct(tokens[end - 1], '*')) return undefined;
  if (as !== -1) {
    const alias = nameAt(tokens, as + 1);
    return alias?.next === end ? { name: alias.value } : undefined;
  }
  const last = tokens[end - 1];
  const isName = last.kind === 'quoted' || (last.kind === 'word' && !isKeyword(last, ...EXPRESSION_WORDS));
  const beforeLast = tokens[end - 2];
  const endsOperand = end - start > 1 && (isPunct(beforeLast, ')') || (beforeLast.kind !== 'punct' && !isKeyword(beforeLast, ...OPERATOR_WORDS)));
  if (isName && endsOperand) return { name: last.value };
  return columnOf(tokens, start, end) ?? { text: { first: tokens[start], last } };
}

/** The column's name when tokens [start, end) are a column, maybe in parentheses or with a COLLATE. */
function columnOf(tokens: readonly Token[], start: number, end: number): ColumnName | undefined {
  while (isPunct(tokens[start], '(') && isPunct(tokens[end - 1], ')')) {
    start++;
    end--;
  }
  if (isKeyword(tokens[end - 2], 'COLLATE')) end -= 2;
  let part = nameAt(tokens, start);
  let parts = 1;
  while (part && part.next < end && isPunct(tokens[part.next], '.')) {
    part = nameAt(tokens, part.next + 1);
    parts++;
  }
  if (!part || part.next !== end) return undefined;
  // SQLite names a column of TRUE or FALSE after its place.
  if (parts === 1 && isKeyword(part.token, 'TRUE', 'FALSE')) return { name: 'column1' };
  return { name: part.value };
}
