// The plan of a SELECT: what to fetch for each resource it reads, and the local query SQLite
// runs over the fetched rows.

import type { FieldSpec, ValueType } from '../registry/types.ts';
import type { IdColumns } from './id-params.ts';
import type { RequestPlan, RequestTemplate, SqlValue } from './types.ts';

export interface SourceRequest {
  readonly request: RequestPlan;
  /** Values of the param columns for the rows this request returns. */
  readonly paramValues: Readonly<Record<string, SqlValue>>;
  /** The statement's conditions this request answers (`param = value`), by param name; the rest run locally. */
  readonly pushed?: Readonly<Record<string, SqlValue>>;
}

/**
 * A source whose required params come from other sources' rows (`ON p.factoryName = f.name`,
 * `ON k.vaultName = split_part(v.id, '/', -1) AND k.resourceGroupName = split_part(v.id, '/', 5)`):
 * one request per distinct combination of their values. When they come from several sources
 * (`ON d.vaultName = split_part(v.id, '/', -1) AND d.keyName = k.name`), the combinations are
 * those of their rows that go together by the statement's joins between them (`links`).
 */
export interface SourceDependency {
  /** The sources whose rows give the values, in the order their params come. */
  readonly sources: readonly DependencySource[];
  /** Each joined param: the SQL over those sources' tables whose values fill it, and the param columns that show it. */
  readonly params: readonly JoinedParam[];
  /**
   * With several sources: the statement's join equalities between them (`"k"."vaultName" =
   * (split_part("v".id, ?, -1))`), which say which of their rows go together; none with one source.
   */
  readonly links: readonly SqlText[];
  /** The request, with the values the statement gives. */
  readonly template: RequestTemplate;
  /** Param column values every request of this source shares (its literal params). */
  readonly baseValues: Readonly<Record<string, SqlValue>>;
  /**
   * The statement's AND-ed `column = value` / `IN` conditions on those sources' own columns:
   * their rows that fail them are in no result, so their values ask for nothing.
   */
  readonly filters?: readonly DependencyFilter[];
}

export interface DependencySource {
  readonly source: number;
  /** The name the statement gives the source (the SQL of the values qualifies its columns by it). */
  readonly alias: string;
}

export interface DependencyFilter {
  /** The alias of the source whose column it is. */
  readonly alias: string;
  readonly column: string;
  readonly values: readonly SqlValue[];
}

/** SQL over the local tables, `?` for each of its params. */
export interface SqlText {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

export interface JoinedParam {
  readonly param: string;
  readonly value: SqlText;
  /** The source's param columns that hold this param's value. */
  readonly columns: readonly string[];
}

export interface SourcePlan {
  /** The local table's name. */
  readonly table: string;
  readonly operation: string;
  readonly fields: readonly FieldSpec[];
  /** The local table's columns: the fields, then the param columns. */
  readonly columns: readonly string[];
  /**
   * The columns the local table is made with when the statement runs: the fields it mentions, then
   * the param columns. A field it never names cannot be referenced, so it is not stored at all
   * (`columns` has them all, for the checks before anything is sent).
   */
  readonly storedColumns: readonly string[];
  /** Indexes into `fields` of the stored fields, in order. */
  readonly storedFields: readonly number[];
  /** Params exposed as columns (their values come from each row's request). */
  readonly paramColumns: readonly string[];
  /** Params named but not given, read from each row's resource id (stored after the param columns). */
  readonly idColumns?: IdColumns;
  /** Independent sources: one request per combination of IN values. Dependent: one preview. */
  readonly requests: readonly SourceRequest[];
  readonly dependency?: SourceDependency;
  /** A materialized view's name: its rows are the ones the engine keeps, and no request is sent. */
  readonly stored?: string;
}

/** What planning knows of a materialized view: its columns (the rows are the engine's, read when the statement runs). */
export interface StoredViewShape {
  /** Lower case, as views are looked up. */
  readonly name: string;
  /** Its SELECT, placeholders fixed, as REFRESH runs it again. */
  readonly query: string;
  readonly columns: readonly string[];
  /** By column, the type of the response field it came from (undefined for an expression). */
  readonly types: readonly (ValueType | undefined)[];
}

/** The materialized views planning may read. */
export interface StoredViewLookup {
  stored(name: string): StoredViewShape | undefined;
  storedNames(): string[];
  /** Whether there is any: most statements then need no look for one. */
  hasStored(): boolean;
}

export interface SelectStatementPlan {
  readonly kind: 'select';
  readonly sources: readonly SourcePlan[];
  readonly query: LocalQueryPlan;
  readonly streaming?: { readonly limit?: number; readonly offset: number; readonly direct?: DirectPlan };
  /** Set when the grouping is done in JavaScript as pages arrive; `query` is then SQLite's equivalent, for the checks. */
  readonly aggregate?: AggregatePlan;
}

/** The statement as SQLite runs it over the fetched rows. */
export interface LocalQueryPlan {
  readonly text: string;
  readonly params: readonly SqlValue[];
  /** When the query can run away: the text with its cancellation checks, run where a cancel can stop it. */
  readonly cancellableText?: string;
}

/** Where a value comes from: a field of each item, or a param column (one value per request); json_extract's path. */
export interface ValueRef {
  readonly field?: string;
  readonly param?: string;
  /** The object keys of `$.a.b`; absent: the column's own value. */
  readonly path?: readonly string[];
  /** The path as written, for SQLite when the column holds no object. */
  readonly pathText?: string;
}

/** An output column: a group key or an aggregate, by index. */
export type OutputRef = { readonly key: number; readonly aggregate?: undefined } | { readonly aggregate: number; readonly key?: undefined };

/** A grouping SELECT over one source, computed with SQLite's semantics in exec/aggregate.ts. */
export interface AggregatePlan {
  /** Output column names, as SQLite names them. */
  readonly columns: readonly string[];
  readonly keys: readonly ValueRef[];
  readonly aggregates: readonly { readonly fn: 'count' | 'sum' | 'total' | 'avg' | 'min' | 'max'; readonly arg?: ValueRef }[];
  readonly outputs: readonly OutputRef[];
  readonly order: readonly { readonly ref: OutputRef; readonly descending: boolean }[];
  /** The ORDER BY names every group key, so no two groups tie (else SQLite breaks the ties). */
  readonly orderIsTotal: boolean;
  /** `column = value` / `IN (…)` conditions: a row is kept when its value is one of them (never NULL). */
  readonly filters: readonly { readonly ref: ValueRef; readonly values: readonly SqlValue[] }[];
  readonly limit?: number;
  readonly offset: number;
}

/** A plain projection and equality filters over the local table's columns (no SQLite needed). */
export interface DirectPlan {
  /** Output name and index of the stored column (SourcePlan.storedColumns). */
  readonly columns: readonly { readonly name: string; readonly index: number }[];
  readonly filters: readonly { readonly index: number; readonly values: readonly SqlValue[] }[];
}
