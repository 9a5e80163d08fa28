// A hand-written parser for the statement shapes skyql sees most: it builds, in a few µs, the
// AST node-sql-parser (PostgreSQL build, 5.4.0, pinned in package.json) builds for the same text, node for node, so the
// converters cannot tell them apart. It knows a small subset (SELECT … FROM one
// provider.service.resource, INSERT/REPLACE … VALUES or SELECT, UPDATE, DELETE, and simple
// expressions) and returns undefined for anything else, including every syntax error, so
// node-sql-parser still parses (and reports) whatever this parser does not fully understand.
//
// node-sql-parser's grammar is a PEG whose results depend on details that look incidental:
// - Every operand swallows the whitespace after it, and an AND/OR chain inside an expression
//   continues only where whitespace is left (`___`). So after `a = 1 ` the chain breaks and the
//   WHERE list folds left, while after `x IN (…)` it goes on, with AND binding tighter than OR.
//   `tight` below tracks this.
// - AND/OR between select items' expressions folds right.
// - A keyword followed by `(` is read as a function call (`NOT (a)` is a call to NOT).
// - Some keywords are matched as prefixes of longer words (`count(*) overall` has a window).
// Words whose meaning this parser cannot vouch for are refused (see the sets below), and
// test/unit/sql/fast-parser.test.ts checks the output against node-sql-parser.
//
// This is skyql's one second implementation of a scanner (the project's lexer is sql/lexer.ts):
// kept because bench/ measures it (a common statement parses in 4–9 µs here, 100–470 µs in
// node-sql-parser), and with its own tokenizer because it must refuse exactly where
// node-sql-parser's grammar reads text differently (nested comments, `AS1`, `a$b`, …), which the
// project's lexer does not model. Both AND/OR trees are regrouped by SQL's precedence afterwards
// (boolean-precedence.ts), so this parser's grouping quirks never reach the analysis.

import type { SqlNode } from './sql-parser.ts';
import { constantSet } from '../util/caches.ts';

type Node = { [key: string]: any };

interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** Word or punctuation as written; string/quoted-identifier content; number text. */
  readonly text: string;
  /** Upper-cased text of a word ('' for other kinds). */
  readonly upper: string;
  /** Whitespace comes right before the token. */
  readonly spaced: boolean;
}

/** An operand of AND/OR and whether no whitespace was swallowed after it (see above). */
interface Term {
  readonly node: Node;
  readonly tight: boolean;
}

/** Thrown to give up; fastAstify turns it (and anything else thrown) into undefined. */
class Bail {}
const BAIL = new Bail();

function bail(): never {
  throw BAIL;
}

export function fastAstify(text: string): SqlNode | undefined {
  try {
    const tokens = tokenize(text);
    return tokens && new FastParser(tokens).statement();
  } catch {
    return undefined;
  }
}

// node-sql-parser's reserved words (reservedMap in its PostgreSQL grammar): never identifiers.
export const RESERVED = words(`ALTER ALL ADD AND AS ASC AT BETWEEN BY CALL CASE CREATE CONTAINS CONSTRAINT
  CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DELETE DESC DISTINCT DROP ELSE END EXISTS
  EXPLAIN EXCEPT FALSE FROM FULL GROUP HAVING IN INNER INSERT INTERSECT INTO IS ILIKE JOIN JSON LEFT
  LIKE LIMIT NOT NULL NULLS OFFSET ON OR ORDER OUTER PARTITION RECURSIVE RENAME RIGHT SELECT
  SESSION_USER SET SHOW SYSTEM_USER TABLE THEN TRUE TRUNCATE UNION UPDATE USING WITH WHEN WHERE WINDOW
  GLOBAL SESSION LOCAL PERSIST PERSIST_ONLY`);

// Words that start another kind of operand without a `(` (INTERVAL '1 day', ARRAY[…], …).
// DATE, TIME, … start one only before a string, which no column here is followed by.
const NOT_A_COLUMN = union(RESERVED, words('ARRAY CAST CURRENT_ROLE INTERVAL'));

// Words that would continue the expression or statement instead of naming it.
const NOT_AN_ALIAS = union(
  RESERVED,
  words(`COLLATE ESCAPE FILTER OVER RETURNING SIMILAR TABLESAMPLE
  WITHIN`),
);
// Matched as prefixes by the grammar (no word boundary), so `overall` would start a window.
const ALIAS_PREFIXES = /^(?:over|filter|similar|tablesample|within)/i;

const NOT_A_TABLE_PART = union(RESERVED, words('LATERAL VALUES'));
// `FROM dual…` is read as the DUAL table whatever follows the four letters.
const DUAL_PREFIX = /^dual/i;

// Every keyword node-sql-parser's PostgreSQL grammar matches: any of them followed by `(` may
// be a special form (TRIM, EXTRACT, window functions, …), so only other names are plain calls.
const KEYWORDS = union(
  RESERVED,
  words(`ACCESS ADDDATE ADMIN AFTER AGGREGATE ALGORITHM ARRAY ARRAY_AGG
  AUTO_INCREMENT AVG AVG_ROW_LENGTH BEFORE BEGIN BIGINT BIGSERIAL BIT BOOL BOOLEAN BOTH BTREE BYTEA
  CACHE CALLED CASCADE CASCADED CAST CENTURY CHAR CHARACTER CHARSET CHECK CHECK_OPTION CIDR COLLATE
  COLLATION COLUMN COLUMN_FORMAT COMMENT COMMIT COMMITTED COMPRESSION CONCURRENTLY CONFLICT CONNECT
  CONNECTION CONSTANT CONTINUE COPY COST COUNT CROSS CROSSTAB CURRENT CURRENT_ROLE CYCLE DATA DATABASE
  DATATYPE DATE DATETIME DAY DAYS DEALLOCATE DEBUG DECADE DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED
  DEFINER DENSE_RANK DETAIL DISK DO DOMAIN DOUBLE DOW DOY DUAL DUMPFILE DYNAMIC E EACH ELSEIF ENFORCED
  ENGINE ENUM EPOCH ERRCODE ESCAPE EXCEPTION EXCLUSIVE EXECUTE EXTENSION EXTERNAL EXTRACT FILTER FIRST
  FIRST_VALUE FIXED FLOAT FOLLOWING FOR FOREIGN FULLTEXT FUNCTION FUNCTIONS GENERATED GEOMETRY
  GEOMETRYCOLLECTION GIN GIST GRANT GROUP_CONCAT HASH HINT HOUR HOURS IDENTITY IF IGNORE IMMEDIATE
  IMMUTABLE INCLUDE INCREMENT INDEX INET INFO INITIALLY INPLACE INPUT INSTANT INSTEAD INT INTEGER
  INTERVAL INVISIBLE INVOKER ISODOW ISOLATION ISOYEAR JSONB JSONB_TO_RECORD JSONB_TO_RECORDSET
  JSON_TO_RECORD JSON_TO_RECORDSET KEY KEY_BLOCK_SIZE LAG LANGUAGE LARGE LAST LAST_VALUE LATERAL LEAD
  LEADING LEAKPROOF LEVEL LINESTRING LOCK LOG LOGGED LONGTEXT LOOP LZ4 MACADDR MACADDR8 MAKE_INTERVAL
  MATCH MAX MAX_ROWS MAXVALUE MEDIUMINT MEDIUMTEXT MEMORY MESSAGE MICROSECONDS MILLENNIUM MILLISECONDS
  MIN MIN_ROWS MINS MINUTE MINVALUE MODE MODULUS MONEY MONTH MONTHS MULTILINESTRING MULTIPOINT
  MULTIPOLYGON NO NONE NOTHING NOTICE NOW NOWAIT NTH_VALUE NTILE NUMERIC OF OID ONLY OPTION OUT OUTFILE
  OVER OWNED OWNER PARALLEL PARSER PARTIAL PERCENTILE_CONT PERCENTILE_DISC POINT POLYGON POSITION
  PRECEDING PRECISION PREPARE PRIMARY PRIVILEGES PROCEDURE PROCEDURES PUBLIC QUARTER RAISE RANGE RANK
  READ REAL RECORD REFERENCES REGCLASS REGCOLLATION REGCONFIG REGDICTIONARY REGNAMESPACE REGOPER
  REGOPERATOR REGPROC REGPROCEDURE REGROLE REGTYPE REMAINDER REPEATABLE REPLACE REPLICA RESPECT RESTART
  RESTRICT RESTRICTED RETURN RETURNING RETURNS REVOKE ROLE ROLLBACK ROUTINE ROUTINES ROW ROW_NUMBER ROWS
  SAFE SCHEMA SECOND SECS SECURITY SECURITY_BARRIER SECURITY_INVOKER SEQUENCE SERIAL SERIALIZABLE
  SERVER SETOF SFUNC SHARE SHARED SIGNED SIMILAR SIMPLE SMALLINT SMALLSERIAL SPATIAL SQL_BIG_RESULT
  SQL_BUFFER_RESULT SQL_CACHE SQL_CALC_FOUND_ROWS SQL_NO_CACHE SQL_SMALL_RESULT SQLSTATE STABLE START
  STATEMENT STATS_SAMPLE_PAGES STORAGE STRICT STRING_AGG STYPE SUBSCRIPTION SUBSTRING SUM SUPPORT
  TABLES TABLESAMPLE TABLESPACE TEMP TEMPORARY TEXT TIME TIMESTAMP TIMESTAMPTZ TIMEZONE TIMEZONE_HOUR
  TIMEZONE_MINUTE TINYINT TINYTEXT TO TRAILING TRANSACTION TRANSORM TRIGGER TRIM TSQUERY TSVECTOR TYPE
  UNBOUNDED UNCOMMITTED UNIQUE UNLOGGED UNSAFE UNSIGNED USAGE USE USER UUID VALUES VARCHAR VARIADIC
  VARYING VERSION VIEW VISIBLE VOLATILE WARNING WEEK WEEKS WITHOUT WORK WRITE YEAR YEARS ZEROFILL ZLIB
  ZONE`),
);

// MySQL's SELECT options, which the grammar reads (as prefixes) right after SELECT.
const SELECT_OPTION = /^sql_(?:calc_found_rows|cache|no_cache|big_result|small_result|buffer_result)/i;

const AGGREGATES = words('COUNT SUM AVG MIN MAX');
const COMPARISONS = constantSet(['=', '<>', '!=', '<', '<=', '>', '>=']);

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

function union(...sets: Set<string>[]): Set<string> {
  return new Set(sets.flatMap((set) => [...set]));
}

// ---- tokenizer ----

const isWordStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isWordPart = (code: number) => isWordStart(code) || isDigit(code);
// node-sql-parser's whitespace is exactly these four.
const isSpace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

const ONE_CHAR_PUNCT = constantSet([...'(),.*+-/=<>'].map((char) => char.charCodeAt(0)));

/** The text's tokens, or undefined when it holds anything this parser refuses outright. */
function tokenize(text: string): Token[] | undefined {
  // Backslashes are escapes in strings and identifiers to the grammar, and invalid elsewhere.
  if (text.includes('\\')) return undefined;
  const tokens: Token[] = [];
  let spaced = false;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      spaced = true;
      i++;
    } else if (isCommentStart(code, text.charCodeAt(i + 1))) {
      i = commentEnd(text, i);
      if (i < 0) return undefined;
      spaced = true;
    } else {
      const end = tokenEnd(text, i, code);
      if (end < 0) return undefined;
      tokens.push(makeToken(text, i, end, code, spaced));
      spaced = false;
      i = end;
    }
  }
  return tokens;
}

const isCommentStart = (code: number, next: number) => (code === 45 && next === 45) || (code === 47 && next === 42);

/** Comments count as whitespace; block comments nest, as in node-sql-parser. */
function commentEnd(text: string, start: number): number {
  let i = start + 2;
  if (text.charCodeAt(start) === 45) {
    while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    return i;
  }
  for (let depth = 1; i < text.length - 1; i++) {
    if (text.startsWith('/*', i)) {
      depth++;
      i++;
    } else if (text.startsWith('*/', i)) {
      if (--depth === 0) return i + 2;
      i++;
    }
  }
  return -1;
}

function tokenEnd(text: string, i: number, code: number): number {
  if (isWordStart(code)) return wordEnd(text, i);
  if (isDigit(code)) return numberEnd(text, i);
  if (code === 39) return stringEnd(text, i);
  if (code === 34) return quotedEnd(text, i);
  return punctEnd(code, text.charCodeAt(i + 1), i);
}

/** `<=`, `>=`, `<>`, `!=`, `||` and single characters; refuses operators this parser does not know. */
function punctEnd(code: number, next: number, i: number): number {
  switch (code) {
    case 60: // <
      if (next === 61 || next === 62) return i + 2;
      return next === 60 || next === 64 ? -1 : i + 1;
    case 62: // >
      if (next === 61) return i + 2;
      return next === 62 ? -1 : i + 1;
    case 33: // !
      return next === 61 ? i + 2 : -1;
    case 124: // |
      return next === 124 ? i + 2 : -1;
    case 45: // -
    case 61: // =
      return next === 62 ? -1 : i + 1;
    case 42: // *
      return next === 47 ? -1 : i + 1;
    default:
      return ONE_CHAR_PUNCT.has(code) ? i + 1 : -1;
  }
}

function wordEnd(text: string, start: number): number {
  let i = start + 1;
  let firstDigit = -1;
  for (let code = text.charCodeAt(i); isWordPart(code); code = text.charCodeAt(++i)) {
    if (firstDigit < 0 && isDigit(code)) firstDigit = i;
  }
  // `a-b`, `a$b`, `E'…'`, `x"…"` and non-ASCII letters read differently in the grammar.
  const next = text.charCodeAt(i);
  if (next === 45 || next === 36 || next === 39 || next === 34 || next > 127) return -1;
  // A keyword followed by a digit is still a keyword there (`AS1` is `AS 1`).
  if (firstDigit > 0 && KEYWORDS.has(text.slice(start, firstDigit).toUpperCase())) return -1;
  return i;
}

function numberEnd(text: string, start: number): number {
  let i = start;
  while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 46) {
    const fraction = ++i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === fraction) return -1;
  }
  // Exponents, `1abc`, `1.2.3` and big numbers have other node types or readings.
  const next = text.charCodeAt(i);
  if (isWordPart(next) || next === 46 || next === 36 || next > 127 || i - start > 15) return -1;
  return i;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; ; ) {
    const quote = text.indexOf("'", i);
    if (quote < 0) return -1;
    if (text.charCodeAt(quote + 1) !== 39) return quote + 1;
    i = quote + 2;
  }
}

function quotedEnd(text: string, start: number): number {
  const close = text.indexOf('"', start + 1);
  if (close <= start + 1 || text.charCodeAt(close + 1) === 34) return -1;
  for (let i = start + 1; i < close; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 || code === 127) return -1;
  }
  return close + 1;
}

function makeToken(text: string, start: number, end: number, code: number, spaced: boolean): Token {
  if (isWordStart(code)) {
    const word = text.slice(start, end);
    return { kind: 'word', text: word, upper: word.toUpperCase(), spaced };
  }
  if (isDigit(code)) return { kind: 'number', text: text.slice(start, end), upper: '', spaced };
  // String content keeps a doubled quote doubled, as node-sql-parser does.
  if (code === 39) return { kind: 'string', text: text.slice(start + 1, end - 1), upper: '', spaced };
  if (code === 34) return { kind: 'quoted', text: text.slice(start + 1, end - 1), upper: '', spaced };
  return { kind: 'punct', text: text.slice(start, end), upper: '', spaced };
}

// ---- parser ----

class FastParser {
  private readonly tokens: readonly Token[];
  private pos = 0;

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  statement(): Node {
    const first = this.peek();
    let node: Node;
    if (isWord(first, 'SELECT')) node = this.select();
    else if (isWord(first, 'INSERT') || isWord(first, 'REPLACE')) node = this.insert();
    else if (isWord(first, 'UPDATE')) node = this.update();
    else if (isWord(first, 'DELETE')) node = this.delete();
    else bail();
    if (this.pos !== this.tokens.length) bail();
    return node;
  }

  // -- statements --

  private select(): Node {
    this.expectWord('SELECT');
    const first = this.peek();
    if (!first?.spaced || (first.kind === 'word' && SELECT_OPTION.test(first.text))) bail();
    const distinct = this.acceptWord('DISTINCT') ? { type: 'DISTINCT' } : { type: null };
    if (isWord(this.peek(), 'ON')) bail();
    const columns = this.selectItems();
    const from = this.acceptWord('FROM') ? [this.tableWithAlias()] : null;
    const where = this.acceptWord('WHERE') ? this.orAndWhere(false) : null;
    const groupby = this.acceptWords('GROUP', 'BY') ? { columns: this.exprList() } : null;
    const having = this.acceptWord('HAVING') ? this.orAndWhere(false) : null;
    const orderby = this.acceptWords('ORDER', 'BY') ? this.orderByList() : null;
    const limit = this.limit();
    return {
      with: null,
      type: 'select',
      options: null,
      distinct,
      columns,
      into: { position: null },
      from,
      where,
      groupby,
      having,
      orderby,
      limit,
      window: null,
    };
  }

  private insert(): Node {
    const type = this.next().upper === 'INSERT' ? 'insert' : 'replace';
    this.acceptWord('INTO');
    const table = { ...this.tableName(), as: null };
    this.expectPunct('(');
    const columns = this.insertColumns();
    this.expectPunct(')');
    const values = this.insertValues(columns.length);
    const returning = this.returning();
    return { type, table: [table], columns, values, partition: null, conflict: null, returning };
  }

  private update(): Node {
    this.expectWord('UPDATE');
    const table = this.tableWithAlias();
    this.expectWord('SET');
    const set = this.commaList(() => this.setItem());
    const where = this.acceptWord('WHERE') ? this.orAndWhere(false) : null;
    const returning = this.returning();
    return { with: null, type: 'update', table: [table], set, from: null, where, returning };
  }

  private delete(): Node {
    this.expectWord('DELETE');
    this.expectWord('FROM');
    const from = this.tableWithAlias();
    const where = this.acceptWord('WHERE') ? this.orAndWhere(false) : null;
    const returning = this.returning();
    const table = { db: from.db, schema: from.schema, table: from.table, as: from.as, addition: true };
    return { type: 'delete', table: [table], from: [from], where, returning };
  }

  // -- clauses --

  private selectItems(): Node[] {
    return this.commaList(() => this.selectItem());
  }

  private selectItem(): Node {
    if (this.acceptPunct('*')) return { expr: { type: 'column_ref', table: null, column: '*' }, as: null };
    const expr = this.itemExpr();
    return { type: 'expr', expr, as: this.alias() };
  }

  /** An item's expression: AND/OR left over by the expression folds right here. */
  private itemExpr(): Node {
    const operands = [this.expr()];
    const operators: string[] = [];
    while (isWord(this.peek(), 'AND') || isWord(this.peek(), 'OR')) {
      operators.push(this.next().upper);
      operands.push(this.expr());
    }
    let result = operands[operands.length - 1];
    for (let i = operators.length - 1; i >= 0; i--) result = binary(operators[i], operands[i], result);
    return result;
  }

  /** The grammar takes any unreserved word after an item or a table as its alias. */
  private alias(): string | null {
    if (this.acceptWord('AS')) return this.aliasName();
    const token = this.peek();
    if (token?.kind === 'quoted' || (token?.kind === 'word' && !RESERVED.has(token.upper))) return this.aliasName();
    return null;
  }

  private aliasName(): string {
    const token = this.next();
    if (token.kind === 'word' && (NOT_AN_ALIAS.has(token.upper) || ALIAS_PREFIXES.test(token.text))) bail();
    if (token.kind !== 'word' && token.kind !== 'quoted') bail();
    // `alias(a, b)` names the columns too.
    if (isPunct(this.peek(), '(')) bail();
    return token.text;
  }

  private tableName(): { db: string; table: string; schema: string } {
    if (DUAL_PREFIX.test(this.peek()?.text ?? '')) bail();
    const db = this.tablePart();
    this.expectAdjacentDot();
    const schema = this.tablePart();
    this.expectAdjacentDot();
    const table = this.tablePart();
    if (isPunct(this.peek(), '.')) bail();
    return { db, table, schema };
  }

  private tablePart(): string {
    const token = this.next();
    if (token.kind === 'quoted') return token.text;
    if (token.kind !== 'word' || NOT_A_TABLE_PART.has(token.upper)) bail();
    return token.text;
  }

  private tableWithAlias(): Node {
    return { ...this.tableName(), as: this.alias() };
  }

  private insertColumns(): Node[] {
    return this.commaList(() => this.insertColumn());
  }

  private insertColumn(): Node {
    const token = this.next();
    if (token.kind === 'quoted') return { type: 'double_quote_string', value: token.text };
    if (token.kind !== 'word' || RESERVED.has(token.upper)) bail();
    return { type: 'default', value: token.text };
  }

  private insertValues(width: number): Node {
    if (this.acceptWord('VALUES')) {
      const rows = this.commaList(() => this.valuesRow(width));
      return { type: 'values', values: rows };
    }
    if (isWord(this.peek(), 'SELECT')) return this.select();
    this.expectPunct('(');
    const select = this.select();
    this.expectPunct(')');
    return { ...select, parentheses_symbol: true };
  }

  /** A VALUES row; rows of the wrong width are node-sql-parser's error to report. */
  private valuesRow(width: number): Node {
    this.expectPunct('(');
    const value = this.exprList();
    this.expectPunct(')');
    if (value.length !== width) bail();
    return { type: 'expr_list', value };
  }

  private setItem(): Node {
    const token = this.next();
    let column: Node;
    if (token.kind === 'quoted') column = { type: 'double_quote_string', value: token.text };
    else if (token.kind === 'word' && !RESERVED.has(token.upper)) column = { type: 'default', value: token.text };
    else bail();
    this.expectPunct('=');
    return { type: 'column_ref', table: null, column: { expr: column }, collate: null, value: this.expr() };
  }

  private returning(): Node | null {
    if (!this.acceptWord('RETURNING')) return null;
    return { type: 'returning', columns: this.selectItems() };
  }

  private orderByList(): Node[] {
    return this.commaList(() => this.orderByItem());
  }

  private orderByItem(): Node {
    const expr = this.expr();
    const type = this.acceptWord('DESC') ? 'DESC' : this.acceptWord('ASC') ? 'ASC' : null;
    return { expr, type, nulls: null };
  }

  private limit(): Node {
    const value: Node[] = [];
    if (this.acceptWord('LIMIT')) value.push(this.integer());
    const offset = this.acceptWord('OFFSET');
    if (offset) value.push(this.integer());
    return { seperator: offset ? 'offset' : '', value };
  }

  private integer(): Node {
    const token = this.next();
    if (token.kind !== 'number' || token.text.includes('.')) bail();
    return numberNode(token.text);
  }

  // -- expressions, rule by rule as in node-sql-parser's grammar --

  /** or_and_where_expr: expressions joined by AND/OR (folding left) or, in calls, commas. */
  private orAndWhere(commas: boolean): Node {
    let result = this.expr();
    let list: Node[] | undefined;
    for (;;) {
      const token = this.peek();
      if (isWord(token, 'AND') || isWord(token, 'OR')) {
        if (list) bail();
        this.pos++;
        result = binary(token!.upper, result, this.expr());
      } else if (commas && isPunct(token, ',')) {
        this.pos++;
        list ??= [result];
        list.push(this.expr());
      } else {
        return list ? { type: 'expr_list', value: list } : result;
      }
    }
  }

  private exprList(): Node[] {
    return this.commaList(() => this.expr());
  }

  /** One item, then one more after each comma. */
  private commaList<T>(item: () => T): T[] {
    const list = [item()];
    while (this.acceptPunct(',')) list.push(item());
    return list;
  }

  private expr(): Node {
    return this.orExpr().node;
  }

  private orExpr(): Term {
    return this.chain('OR', () => this.andExpr());
  }

  private andExpr(): Term {
    return this.chain('AND', () => this.notExpr());
  }

  /** `operand OP operand OP …`, folded left, for as long as whitespace is left over (see the top). */
  private chain(operator: 'AND' | 'OR', operand: () => Term): Term {
    let left = operand();
    while (left.tight && this.atSpacedWord(operator)) {
      this.pos++;
      const right = operand();
      left = { node: binary(operator, left.node, right.node), tight: right.tight };
    }
    return left;
  }

  private notExpr(): Term {
    if (!isWord(this.peek(), 'NOT')) return this.comparison();
    this.pos++;
    if (isPunct(this.peek(), '(')) bail();
    const inner = this.notExpr();
    return { node: { type: 'unary_expr', operator: 'NOT', expr: inner.node }, tight: inner.tight };
  }

  private comparison(): Term {
    const left = this.additive();
    const token = this.peek();
    if (token?.kind === 'punct' && COMPARISONS.has(token.text)) return { node: this.comparisonChain(left), tight: false };
    if (token?.kind !== 'word') return { node: left, tight: false };
    const negated = token.upper === 'NOT';
    const operator = negated ? this.tokens[this.pos + 1] : token;
    if (isWord(operator, 'IN')) return { node: this.inList(left, negated), tight: true };
    if (isWord(operator, 'LIKE')) return { node: this.like(left, negated), tight: false };
    if (negated) bail();
    if (token.upper === 'IS') return { node: this.isNull(left), tight: false };
    // Anything else (BETWEEN, ILIKE, …) is left for the caller, which gives up on it.
    return { node: left, tight: false };
  }

  private comparisonChain(left: Node): Node {
    let result = left;
    for (let token = this.peek(); token?.kind === 'punct' && COMPARISONS.has(token.text); token = this.peek()) {
      this.pos++;
      result = binary(token.text, result, this.additive());
    }
    return result;
  }

  private inList(left: Node, negated: boolean): Node {
    this.pos += negated ? 2 : 1;
    this.expectPunct('(');
    const value = this.exprList();
    this.expectPunct(')');
    return binary(negated ? 'NOT IN' : 'IN', left, { type: 'expr_list', value });
  }

  private like(left: Node, negated: boolean): Node {
    this.pos += negated ? 2 : 1;
    const pattern = this.next();
    if (pattern.kind !== 'string') bail();
    if (isWord(this.peek(), 'ESCAPE')) bail();
    return binary(negated ? 'NOT LIKE' : 'LIKE', left, { type: 'single_quote_string', value: pattern.text });
  }

  private isNull(left: Node): Node {
    this.pos++;
    const negated = this.acceptWord('NOT');
    const value = this.peek();
    if (!isWord(value, 'NULL') && !isWord(value, 'TRUE') && !isWord(value, 'FALSE')) bail();
    return binary(negated ? 'IS NOT' : 'IS', left, this.additive());
  }

  private additive(): Node {
    let left = this.multiplicative();
    for (let token = this.peek(); isPunct(token, '+') || isPunct(token, '-'); token = this.peek()) {
      this.pos++;
      left = binary(token!.text, left, this.multiplicative());
    }
    return left;
  }

  private multiplicative(): Node {
    let left = this.unary();
    for (let token = this.peek(); isPunct(token, '*') || isPunct(token, '/') || isPunct(token, '||'); token = this.peek()) {
      this.pos++;
      left = binary(token!.text, left, this.unary());
    }
    return left;
  }

  /** `-1` is a negative number, `- 1` and `-a` a negation. */
  private unary(): Node {
    if (!isPunct(this.peek(), '-')) return this.primary();
    this.pos++;
    const operand = this.peek();
    if (operand?.kind === 'number' && !operand.spaced) {
      this.pos++;
      return numberNode(`-${operand.text}`);
    }
    return { type: 'unary_expr', operator: '-', expr: this.unary() };
  }

  private primary(): Node {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { type: 'single_quote_string', value: token.text };
      case 'number':
        return numberNode(token.text);
      case 'quoted':
        return this.quotedColumn(token);
      case 'punct':
        return this.parenthesized(token);
      default:
        return this.wordOperand(token);
    }
  }

  private parenthesized(token: Token): Node {
    if (token.text !== '(' || isWord(this.peek(), 'SELECT')) bail();
    const inner = this.orAndWhere(false);
    this.expectPunct(')');
    inner.parentheses = true;
    return inner;
  }

  private quotedColumn(token: Token): Node {
    const next = this.peek();
    if (isPunct(next, '(')) bail();
    if (isPunct(next, '.') && !next!.spaced) return this.qualifiedColumn(token.text);
    return { type: 'column_ref', table: null, column: { expr: { type: 'double_quote_string', value: token.text } } };
  }

  private wordOperand(token: Token): Node {
    const next = this.peek();
    if (isPunct(next, '(')) return this.call(token);
    if (token.upper === 'TRUE' || token.upper === 'FALSE') return { type: 'bool', value: token.upper === 'TRUE' };
    if (token.upper === 'NULL') return { type: 'null', value: null };
    if (NOT_A_COLUMN.has(token.upper)) bail();
    if (isPunct(next, '.') && !next!.spaced) return this.qualifiedColumn(token.text);
    return { type: 'column_ref', table: null, column: { expr: { type: 'default', value: token.text } }, collate: null };
  }

  private qualifiedColumn(table: string): Node {
    this.pos++;
    const token = this.next();
    if (token.spaced) bail();
    let column: Node;
    if (token.kind === 'quoted') column = { type: 'double_quote_string', value: token.text };
    else if (token.kind === 'word' && !RESERVED.has(token.upper)) column = { type: 'default', value: token.text };
    else bail();
    const next = this.peek();
    if (isPunct(next, '.') || isPunct(next, '(')) bail();
    return { type: 'column_ref', table, column: { expr: column }, collate: null };
  }

  private call(name: Token): Node {
    this.pos++;
    const node = AGGREGATES.has(name.upper) ? this.aggregate(name.upper) : this.functionCall(name);
    // OVER (window) and FILTER follow calls, and match as prefixes of longer words.
    const next = this.peek();
    if (next?.kind === 'word' && /^(?:over|filter)/i.test(next.text)) bail();
    return node;
  }

  private aggregate(name: string): Node {
    let args: Node;
    if (name === 'COUNT' && this.acceptPunct('*')) {
      args = { expr: { type: 'star', value: '*' } };
    } else if (name === 'COUNT') {
      const distinct = this.acceptWord('DISTINCT') ? 'DISTINCT' : null;
      // `count((a) …)` takes another rule of the grammar.
      if (isPunct(this.peek(), '(')) bail();
      args = { distinct, expr: this.expr(), orderby: null, separator: null };
    } else {
      args = { expr: this.additive() };
    }
    this.expectPunct(')');
    return { type: 'aggr_func', name, args, over: null };
  }

  private functionCall(name: Token): Node {
    if (KEYWORDS.has(name.upper)) bail();
    let args: Node;
    if (this.acceptPunct(')')) {
      args = { type: 'expr_list', value: [] };
    } else {
      const inner = this.orAndWhere(true);
      this.expectPunct(')');
      args = inner.type === 'expr_list' ? inner : { type: 'expr_list', value: [inner] };
    }
    return { type: 'function', name: { name: [{ type: 'default', value: name.text }] }, args };
  }

  // -- token helpers --

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++] ?? bail();
  }

  private atSpacedWord(word: string): boolean {
    const token = this.peek();
    return isWord(token, word) && token!.spaced;
  }

  private acceptWord(word: string): boolean {
    if (!isWord(this.peek(), word)) return false;
    this.pos++;
    return true;
  }

  private acceptWords(first: string, second: string): boolean {
    if (!isWord(this.peek(), first)) return false;
    this.pos++;
    this.expectWord(second);
    return true;
  }

  private acceptPunct(text: string): boolean {
    if (!isPunct(this.peek(), text)) return false;
    this.pos++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) bail();
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) bail();
  }

  private expectAdjacentDot(): void {
    const dot = this.next();
    if (!isPunct(dot, '.') || dot.spaced || this.peek()?.spaced) bail();
  }
}

function isWord(token: Token | undefined, upper: string): boolean {
  return token?.kind === 'word' && token.upper === upper;
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

function binary(operator: string, left: Node, right: Node): Node {
  return { type: 'binary_expr', operator, left, right };
}

/** node-sql-parser keeps a decimal's digits as text (`toFixed`), an integer as a number. */
function numberNode(text: string): Node {
  const dot = text.indexOf('.');
  if (dot < 0) return { type: 'number', value: parseFloat(text) };
  return { type: 'number', value: parseFloat(text).toFixed(text.length - dot - 1) };
}
