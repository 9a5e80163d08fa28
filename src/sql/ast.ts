// skyql's statement AST: plain objects with a `kind`, readonly by type (a session shares the parse of
// a text between runs, so no stage may change one). node-sql-parser's output is
// converted into these so later stages never see the parser's own shapes, except for the
// local part of a SELECT, which later stages hand to SQLite as text. The converters make a
// statement's arrays with mapPacked (util/arrays.ts), not `.map`: every planner function reads
// them, and `.map` gives arrays of another kind once V8 optimizes its caller.

import type { EngineError } from '../errors.ts';
import type { TemplateData } from './template-data.ts';
import type { CreateViewStatement, DropViewStatement, RefreshViewStatement } from './views.ts';

export type { CreateViewStatement, DropViewStatement, RefreshViewStatement } from './views.ts';

export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** `provider.service.resource`, or `provider.service.resource.method` for EXEC. */
export interface QualifiedName {
  readonly parts: readonly string[];
  readonly span: Span;
}

export type LiteralValue = string | number | boolean | null;

export interface Literal {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  /** True when the value was written as a quoted string (`'1'` vs `1`). */
  readonly quoted: boolean;
  readonly span?: Span;
  /**
   * The value came from fetched data (a row of INSERT … SELECT, a dependent join), not from the
   * statement: it is used as it is, never expanded as a `{{ template }}`.
   */
  readonly fromData?: true;
  /** The value is a LIMIT's or an OFFSET's (`LIMIT {{ n }}`): an integer, checked and bound as one when planned. */
  readonly count?: true;
  /** Which of the statement's strings (and placeholders) it is, in order of the text; set where the parser read the statement. */
  readonly stringIndex?: number;
}

/** An expression of constants (`json_object('env', ?)`): SQLite gives its value when the statement is planned. */
export interface ValueExpression {
  readonly kind: 'expression';
  /** SQL text with `?` where its strings were. */
  readonly text: string;
  /** One per `?`, in order. */
  readonly bindings: readonly Literal[];
  readonly span: Span;
}

/** A value as an INSERT or SET gives it. */
export type GivenValue = Literal | ValueExpression;

export interface Assignment<Value extends GivenValue = Literal> {
  readonly name: string;
  readonly value: Value;
  readonly span?: Span;
}

export interface Hints {
  readonly await: boolean;
  readonly required: boolean;
}

/** A RETURNING item that is a response field by name (`*`: all of them), with its output name. */
export interface ReturnedField {
  readonly column: string;
  readonly alias?: string;
}

/** RETURNING: response fields, or, when an item is more than a field, SQLite's query over the response's rows. */
export interface ReturningClause {
  /** Empty when `query` is set. */
  readonly fields: readonly ReturnedField[];
  /**
   * `RETURNING name, json_extract(properties, '$.state') AS state`: the clause as the select list
   * of `SELECT … FROM "__skyql_0"` (the response's fields, one row per item), its placeholders bound.
   */
  readonly query?: { readonly text: string; readonly bindings: readonly Literal[] };
}

export interface InsertStatement {
  readonly kind: 'insert';
  /** INSERT, or REPLACE (a PUT that replaces what is there). */
  readonly verb: 'insert' | 'replace';
  readonly target: QualifiedName;
  readonly columns: readonly { readonly name: string; readonly span?: Span }[];
  /** One row per request: VALUES (…), (…) or a constant SELECT. */
  readonly rows: readonly (readonly GivenValue[])[];
  /** INSERT … SELECT … FROM: one request per row the query returns. */
  readonly query?: SelectStatement;
  /** INSERT … SELECT … FROM: the select items that are literals (the same in every row), by position. */
  readonly queryConstants?: readonly (Literal | undefined)[];
  readonly returning?: ReturningClause;
  readonly hints: Hints;
}

export interface ExecStatement {
  readonly kind: 'exec';
  readonly target: QualifiedName;
  readonly args: readonly Assignment[];
  /** `@@json='{…}'`: the whole request body. */
  readonly json?: Literal;
  readonly hints: Hints;
}

/** A resource named in a SELECT's FROM or JOIN. */
export interface SelectSource {
  readonly name: QualifiedName;
  readonly alias?: string;
  /** The method to call, when the statement names one (`(EXEC p.s.r.method …)` read as a table); else chosen by params. */
  readonly method?: string;
}

/** `column = value` or `column IN (values)` from the AND-ed conditions of a WHERE or ON. */
export interface SourceCondition {
  /** The sources the column may belong to: one when qualified, every source in scope when not. */
  readonly sources: readonly number[];
  readonly column: string;
  readonly values: readonly Literal[];
  readonly span?: Span;
}

/**
 * A top-level condition that no row's column is below: `column >= v`, `> v`, `= v`, `BETWEEN v AND …`;
 * v a literal or an expression of constants (`datetime('now', '-7 days')`, computed when planned).
 */
export interface LowerBound {
  readonly sources: readonly number[];
  readonly column: string;
  readonly value: GivenValue;
}

/** A column a WHERE, ON or HAVING mentions anywhere (in an OR, under NOT, in a function…). */
export interface ComparedColumn {
  readonly sources: readonly number[];
  readonly column: string;
}

/**
 * `a.column = b.column`, or `a.column = expression of b's columns` (`split_part(b.id, '/', 5)`):
 * may bind a param of one side from the other side's rows.
 */
export interface JoinBinding {
  readonly sources: readonly number[];
  readonly column: string;
  readonly from: JoinValue;
}

/** Where a joined param's values come from: a column of other sources, or an expression over one source's columns. */
export interface JoinValue {
  readonly sources: readonly number[];
  /** A column (may belong to any of `sources`). */
  readonly column?: string;
  /** SQL over the one source's table (as the statement qualifies it), `?` for its strings. */
  readonly expression?: { readonly text: string; readonly bindings: readonly Literal[] };
}

/** The statement as SQLite runs it locally over the fetched rows. */
export interface LocalQuery {
  /** Sources replaced by their tables (`"__skyql_0"`, …); template literals replaced by `?`. */
  readonly text: string;
  /** One per `?`, in order. */
  readonly bindings: readonly Literal[];
  /**
   * Set when the query can run away (a recursive CTE, or more than one FROM item): the text with
   * its cancellation checks in the ways sql/cancel-checks.ts gives, best first, or why they could
   * not be placed.
   */
  readonly cancellable?: { readonly texts: readonly string[] } | { readonly error: EngineError };
}

export interface SelectStatement {
  readonly kind: 'select';
  /**
   * The same object for every statement of this shape (statements that differ only in their
   * strings, spans or hints): later stages key what depends only on the shape by it.
   */
  readonly shape: object;
  /** Every name the statement mentions (lower case), or 'all' when it selects `*`: unmentioned fields need not be fetched into SQLite. */
  readonly mentioned: ReadonlySet<string> | 'all';
  readonly sources: readonly SelectSource[];
  readonly conditions: readonly SourceCondition[];
  readonly joins: readonly JoinBinding[];
  /** Lower bounds of columns from the AND-ed conditions (time windows widen to them). */
  readonly lowerBounds: readonly LowerBound[];
  /** Columns the conditions compare anywhere. */
  readonly compared: readonly ComparedColumn[];
  readonly local: LocalQuery;
  /**
   * Set when rows can be produced page by page: one source and no joins, grouping, ordering,
   * DISTINCT, subqueries or set operations. `local` then has no LIMIT/OFFSET; they are here.
   */
  readonly streaming?: { readonly limit?: number | Literal; readonly offset: number | Literal; readonly direct?: DirectQuery };
  /** Set when the grouping can be done in JavaScript as pages arrive (see sql/aggregate.ts). */
  readonly aggregate?: AggregateQuery;
  readonly hints: Hints;
}

/** A column, or `json_extract(column, 'path')`, of the statement's one source. */
export type ValueExpr = { readonly kind: 'column'; readonly column: string } | { readonly kind: 'json'; readonly column: string; readonly path: string };

export type AggregateFn = 'count' | 'sum' | 'total' | 'avg' | 'min' | 'max';

/** An aggregate call; `count(*)` has no argument. */
export interface AggregateCall {
  readonly kind: 'aggregate';
  readonly fn: AggregateFn;
  readonly arg?: ValueExpr;
}

export interface AggregateItem {
  readonly expr: ValueExpr | AggregateCall;
  readonly alias?: string;
}

/** A GROUP BY or ORDER BY term. A bare name may be a column or an alias: which one depends on the source's columns. */
export type OrderTerm =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'position'; readonly position: number }
  | { readonly kind: 'expr'; readonly expr: ValueExpr | AggregateCall };

/** A SELECT of group keys and aggregates over one source, with SQLite's meaning (see plan/aggregate.ts). */
export interface AggregateQuery {
  readonly items: readonly AggregateItem[];
  readonly groupBy: readonly OrderTerm[];
  readonly orderBy: readonly { readonly term: OrderTerm; readonly descending: boolean }[];
  readonly limit?: number;
  readonly offset: number;
}

/**
 * A streamable SELECT so plain that it needs no SQLite: named columns (or *) and a WHERE of
 * `column = value` / `column IN (…)` conditions only. Rows are projected and filtered as pages arrive.
 */
export interface DirectQuery {
  /** undefined: `*`. An unaliased column is named as SQLite names it: as the table declares it. */
  readonly columns?: readonly { readonly column: string; readonly alias?: string }[];
  readonly filters: readonly { readonly column: string; readonly values: readonly Literal[] }[];
}

/** UPDATE … SET … WHERE, REPLACE … SET … WHERE (StackQL's PUT) and DELETE FROM … WHERE: params from SET and WHERE. */
export interface MutationStatement {
  readonly kind: 'update' | 'replace' | 'delete';
  readonly target: QualifiedName;
  readonly set: readonly Assignment<GivenValue>[];
  /** `param = value` (or IN: one request per value) conditions joined by AND. */
  readonly where: readonly SourceCondition[];
  readonly returning?: ReturningClause;
  readonly hints: Hints;
}

export type ShowTarget = 'providers' | 'services' | 'resources' | 'methods' | 'insert' | 'version';

export interface ShowStatement {
  readonly kind: 'show';
  readonly target: ShowTarget;
  readonly extended: boolean;
  readonly scope?: QualifiedName;
  readonly like?: string;
  /** `WHERE condition`: SQLite tests it on each row (its strings are `?` bindings). */
  readonly where?: { readonly text: string; readonly bindings: readonly Literal[]; readonly span: Span };
  /** SHOW INSERT INTO … with the REQUIRED hint: only the required params. */
  readonly requiredOnly: boolean;
}

export interface DescribeStatement {
  readonly kind: 'describe';
  readonly target: QualifiedName;
  readonly extended: boolean;
  /** DESCRIBE METHOD provider.service.resource.method */
  readonly method: boolean;
}

/** REGISTRY ADD 'spec.yaml' AS provider.service [AUDIENCE 'scope'] */
export interface RegistryAddStatement {
  readonly kind: 'registry_add';
  readonly specFile: string;
  readonly target: QualifiedName;
  readonly audience?: string;
}

/** REGISTRY LIST [provider]: the providers (and versions) the configured registry offers. */
export interface RegistryListStatement {
  readonly kind: 'registry_list';
  readonly provider?: string;
}

/** REGISTRY PULL provider [version]: installs a provider from the configured registry into the user's registry. */
export interface RegistryPullStatement {
  readonly kind: 'registry_pull';
  readonly provider: string;
  readonly version?: string;
  readonly span: Span;
}

/** EXPLAIN [FORMAT TEXT | JSON] statement: its plan, without running it. */
export interface ExplainStatement {
  readonly kind: 'explain';
  readonly format: 'text' | 'json';
  readonly statement: Exclude<Statement, ExplainStatement>;
  /** Where the explained statement is in the script. */
  readonly span: Span;
}

export type Statement =
  | InsertStatement
  | MutationStatement
  | ExecStatement
  | SelectStatement
  | ShowStatement
  | DescribeStatement
  | RegistryAddStatement
  | RegistryListStatement
  | RegistryPullStatement
  | ExplainStatement
  | CreateViewStatement
  | DropViewStatement
  | RefreshViewStatement;
export type StatementKind = Statement['kind'];

/** A statement with the text it came from (the whole script, so spans stay absolute). */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly span: Span;
  /** The `{{ name }}` placeholders of the statement's text, each once. */
  readonly placeholders: readonly string[];
  /** The script's `<<<json … >>>` block: values for its placeholders. */
  readonly data?: TemplateData;
}

export const LOCAL_TABLE_PREFIX = '__skyql_';

export const NO_HINTS: Hints = Object.freeze({ await: false, required: false });
