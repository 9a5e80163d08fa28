// Runs a planned statement: the exec stage's entry from the engine. A plan says what to do; this
// picks the executor for its kind and shapes what it returns into the statement's QueryResult.

import type { ExecDeps, PendingOperation } from './exec/execute.ts';
import { executeHttpPlan } from './exec/execute.ts';
import { executeInsertSelect } from './exec/insert-select.ts';
import { executeSelect, type RowSink } from './exec/select.ts';
import { explainRows } from './output/explain.ts';
import type {
  HttpStatementPlan,
  MaterializePlan,
  Projection,
  RegistryAddPlan,
  RegistryListPlan,
  RegistryPullPlan,
  Row,
  StatementPlan,
  ViewChangePlan,
} from './plan/types.ts';
import type { SelectStatementPlan } from './plan/types-select.ts';
import type { FieldSpec, ValueType } from './registry/types.ts';
import type { StatementKind } from './sql/ast.ts';

/**
 * One statement's result. `R` is the row type a caller declares (`engine.query<Factory>(…)`):
 * skyql does not check it; `engine.describe(resource)` gives the columns and types to write it from.
 */
export interface QueryResult<R extends object = Row> {
  readonly kind: StatementKind;
  /** The statement's text. */
  readonly statement: string;
  readonly columns: readonly string[];
  readonly rows: readonly R[];
  /**
   * By column, the registry's type of the response field the column comes straight from
   * ('string', 'integer', 'number', 'boolean', 'object', 'array'); undefined for expressions.
   * Object and array columns hold JSON text.
   */
  readonly columnTypes?: readonly (ValueType | undefined)[];
  /** Whether the statement returns rows (SELECT, SHOW, DESCRIBE, RETURNING, EXEC with a body). */
  readonly returnsRows: boolean;
  /** The rows went to `onRows` as they came, so `rows` is empty. */
  readonly streamed?: boolean;
  /** Long-running operations started and not waited for (no AWAIT hint): where to follow them. */
  readonly pending?: readonly PendingOperation[];
  /** HTTP requests the statement planned (pages not counted). */
  readonly requests: number;
}

export interface PlannedStatement {
  readonly kind: StatementKind;
  readonly statement: string;
  readonly plan: StatementPlan;
}

/** What the statements about definitions do (registry, views, materialized views): the engine's Definitions; pulls and lists end with the query's signal. */
export interface DefinitionActions {
  add(plan: RegistryAddPlan): Promise<QueryResult['rows']>;
  pull(plan: RegistryPullPlan, signal?: AbortSignal): Promise<QueryResult['rows']>;
  list(plan: RegistryListPlan, signal?: AbortSignal): Promise<QueryResult['rows']>;
  view(plan: ViewChangePlan): QueryResult['rows'];
  materialize(plan: MaterializePlan, deps: ExecDeps): Promise<QueryResult['rows']>;
}

export function runPlanned(planned: PlannedStatement, deps: ExecDeps, definitions: DefinitionActions, onRows?: RowSink): Promise<QueryResult> {
  const { plan } = planned;
  // Requests alone (INSERT, EXEC, UPDATE…) and SELECTs, most statements run, in small async frames of their own.
  if (plan.kind === 'http') return runHttpPlan(planned, plan, deps);
  return plan.kind === 'select' ? runSelectPlan(planned, plan, deps, onRows) : runOtherPlan(planned, plan, deps, definitions);
}

async function runSelectPlan(planned: PlannedStatement, plan: SelectStatementPlan, deps: ExecDeps, onRows?: RowSink): Promise<QueryResult> {
  const result = await executeSelect(plan, deps, onRows);
  return { kind: planned.kind, statement: planned.statement, ...result, returnsRows: true, requests: requestsOf(plan), streamed: Boolean(onRows) };
}

async function runHttpPlan(planned: PlannedStatement, plan: HttpStatementPlan, deps: ExecDeps): Promise<QueryResult> {
  const result = await executeHttpPlan(plan, deps);
  return { kind: planned.kind, statement: planned.statement, ...result, ...projected(plan), requests: plan.requests.length };
}

/** Every other statement: definitions, registry actions, EXPLAIN, INSERT … SELECT. */
async function runOtherPlan(
  planned: PlannedStatement,
  plan: Exclude<StatementPlan, HttpStatementPlan | SelectStatementPlan>,
  deps: ExecDeps,
  definitions: DefinitionActions,
): Promise<QueryResult> {
  switch (plan.kind) {
    case 'view_change':
      return answered(planned, ['view', 'action'], definitions.view(plan));
    case 'materialize': {
      const rows = await definitions.materialize(plan, deps);
      return { ...answered(planned, ['view', 'action', 'rows'], rows), requests: requestsOf(plan.select) };
    }
    case 'local':
      return answered(planned, plan.columns, plan.rows);
    case 'registry_add':
      return answered(planned, ['resource', 'file'], await definitions.add(plan));
    case 'registry_pull':
      return answered(planned, ['provider', 'version', 'services', 'folder'], await definitions.pull(plan, deps.signal));
    case 'registry_list':
      return answered(planned, ['provider', 'versions'], await definitions.list(plan, deps.signal));
  }
  if (plan.kind === 'explain') {
    return { kind: planned.kind, statement: planned.statement, ...explainRows(plan), returnsRows: true, requests: 0 };
  }
  return { kind: planned.kind, statement: planned.statement, ...(await executeInsertSelect(plan, deps)), ...projected(plan) };
}

/** The result of a statement answered without a request. */
function answered(planned: PlannedStatement, columns: readonly string[], rows: QueryResult['rows']): QueryResult {
  return { kind: planned.kind, statement: planned.statement, columns, rows, returnsRows: true, requests: 0 };
}

/** The requests a SELECT sends up front (a dependent join's are counted as it runs). */
function requestsOf(plan: SelectStatementPlan): number {
  return plan.sources.reduce((sum, source) => sum + source.requests.length, 0);
}

/** A statement that returns what its requests answered: its columns' types, and whether it returns rows at all. */
function projected(plan: { readonly projection: readonly Projection[]; readonly fields: readonly FieldSpec[] }) {
  return {
    columnTypes: plan.projection.map((column): ValueType | undefined => plan.fields.find((field) => field.name === column.source)?.type),
    returnsRows: plan.projection.length > 0,
  };
}
