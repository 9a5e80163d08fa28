// Materialized views at plan time. CREATE MATERIALIZED VIEW plans its SELECT now (the engine runs
// it and keeps the rows); REFRESH plans the kept SELECT again; a statement that reads one gets a
// source with no request, whose rows the engine puts in its table when the statement runs.

import { EngineError, spanAt } from '../errors.ts';
import type { CreateViewStatement, ParsedStatement, QualifiedName, RefreshViewStatement } from '../sql/ast.ts';
import { LOCAL_TABLE_PREFIX } from '../sql/ast.ts';
import { tokenize } from '../sql/lexer.ts';
import { applyEdits, type Edit } from '../sql/normalize.ts';
import { parseStatement } from '../sql/parse.ts';
import { tableNameReferences } from '../sql/views.ts';
import { localColumnNames } from './local-check.ts';
import type { MaterializePlan, PlanOptions, StatementPlan } from './types.ts';
import type { SourcePlan, StoredViewLookup, StoredViewShape } from './types-select.ts';
import { PendingNames } from '../util/pending-names.ts';
import { aliasAfter, withValuesFixed } from './views.ts';

/** Plans a statement (plan.ts's planStatement, passed in: this module is one of its cases). */
export type PlanQuery = (parsed: ParsedStatement) => StatementPlan;

export function planCreateMaterialized(statement: CreateViewStatement, script: string, options: PlanOptions, planQuery: PlanQuery): MaterializePlan {
  const name = viewNameOf(statement.name);
  const span = spanAt(script, statement.name.span.offset, statement.name.span.length);
  if (options.views?.view(name)) {
    throw new EngineError('REG_CONFLICT', `${name} is a view already (not materialized)`, {
      hint: `DROP VIEW ${name} first, or choose another name`,
      span,
    });
  }
  const existing = options.storedViews?.stored(name);
  if (existing && !statement.orReplace) {
    throw new EngineError('REG_CONFLICT', `the materialized view ${name} exists already`, {
      hint: `REFRESH MATERIALIZED VIEW ${name} runs its query again; CREATE OR REPLACE MATERIALIZED VIEW ${name} AS … replaces it`,
      span,
    });
  }
  const query = withValuesFixed(statement.query, options.vars);
  return materializePlan(existing ? 'replace' : 'create', name, query, options, planQuery);
}

export function planRefresh(statement: RefreshViewStatement, script: string, options: PlanOptions, planQuery: PlanQuery): MaterializePlan {
  const name = viewNameOf(statement.name);
  const view = options.storedViews?.stored(name);
  if (!view) {
    const plain = options.views?.view(name) !== undefined;
    const known = options.storedViews?.storedNames() ?? [];
    throw new EngineError('REG_UNKNOWN_RESOURCE', `no materialized view named ${name}`, {
      hint: plain
        ? `${name} is a plain view: it reads the resources afresh each time, there is nothing to refresh`
        : known.length > 0
          ? `materialized views: ${known.join(', ')}`
          : 'CREATE MATERIALIZED VIEW name AS SELECT … makes one',
      span: spanAt(script, statement.name.span.offset, statement.name.span.length),
    });
  }
  return materializePlan('refresh', name, view.query, options, planQuery);
}

function materializePlan(action: MaterializePlan['action'], name: string, query: string, options: PlanOptions, planQuery: PlanQuery): MaterializePlan {
  const planned = planQuery(parseStatement(query));
  if (planned.kind !== 'select') throw new EngineError('SQL_UNSUPPORTED', 'a materialized view is defined by a SELECT');
  const columns = localColumnNames(options.checker, planned.query.text, planned.sources);
  checkDistinct(columns, name);
  return { kind: 'materialize', action, name, query, select: planned, columns };
}

/** Its rows are kept by column name: two columns of one name would be one. */
function checkDistinct(columns: readonly string[], name: string): void {
  const seen = new Set<string>();
  for (const column of columns) {
    const key = column.toLowerCase();
    if (seen.has(key)) {
      throw new EngineError('PLAN_DUPLICATE_COLUMN', `the materialized view ${name} would have two columns named ${column}`, {
        hint: 'give one of them another name with AS',
      });
    }
    seen.add(key);
  }
}

/**
 * The parser takes a three-part name for a source and leaves shorter ones to SQLite; a statement
 * that reads a materialized view gets its name as `__skyql_stored.<schema or __skyql_stored>.<name>`
 * (with the name as alias), is parsed again, and planSelect finds the view by that mark.
 */
const STORED_MARK = '__skyql_stored';

export function withStoredViewsMarked(parsed: ParsedStatement, views: StoredViewLookup | undefined): ParsedStatement {
  if (!views?.hasStored()) return parsed;
  const text = parsed.text.slice(parsed.span.offset, parsed.span.offset + parsed.span.length);
  const tokens = tokenize(text);
  const edits: Edit[] = [];
  for (const reference of tableNameReferences(tokens)) {
    const parts = reference.name.split('.');
    if (parts.length > 2 || !views.stored(reference.name)) continue;
    const marked = [STORED_MARK, parts.length === 2 ? parts[0] : STORED_MARK, parts.at(-1)].join('.');
    const aliased = aliasAfter(tokens, reference.last) !== undefined;
    edits.push({ start: tokens[reference.first].offset, end: tokens[reference.last].end, replacement: aliased ? marked : `${marked} AS "${parts.at(-1)}"` });
  }
  if (edits.length === 0) return parsed;
  const reparsed = parseStatement(applyEdits(text, 0, text.length, edits).text);
  return parsed.data ? { ...reparsed, data: parsed.data } : reparsed;
}

/** The materialized view a FROM item names, once marked by withStoredViewsMarked. */
export function storedViewOf(options: PlanOptions, name: QualifiedName, method: string | undefined): StoredViewShape | undefined {
  if (method !== undefined || name.parts.length !== 3 || name.parts[0] !== STORED_MARK) return undefined;
  const viewName = name.parts[1] === STORED_MARK ? name.parts[2] : `${name.parts[1]}.${name.parts[2]}`;
  const view = options.storedViews?.stored(viewName);
  if (!view) throw new EngineError('REG_UNKNOWN_RESOURCE', `no materialized view named ${viewName}`);
  return view;
}

/** The source of a statement that reads a materialized view: its columns, no request. */
export function storedSource(index: number, view: StoredViewShape): SourcePlan {
  const fields = view.columns.flatMap((name, at) => {
    const type = view.types[at];
    return type ? [{ name, type }] : [];
  });
  return {
    table: `${LOCAL_TABLE_PREFIX}${index}`,
    operation: `materialized view ${view.name}`,
    fields,
    columns: view.columns,
    storedColumns: view.columns,
    storedFields: [],
    paramColumns: [],
    requests: [],
    stored: view.name,
  };
}

function viewNameOf(name: QualifiedName): string {
  return name.parts.join('.').toLowerCase();
}

/**
 * The materialized views as they will be once the statements planned so far have run: planning a
 * script (--dry-run, engine.plan) sees the columns its CREATE MATERIALIZED VIEW statements make.
 */
export class PendingStoredViews implements StoredViewLookup {
  private readonly base: StoredViewLookup;
  private readonly changes = new PendingNames<StoredViewShape>();

  constructor(base: StoredViewLookup) {
    this.base = base;
  }

  /** What a planned statement will do to the materialized views. */
  record(plan: StatementPlan): void {
    if (plan.kind === 'view_change' && plan.materialized) this.changes.set(plan.name, null);
    if (plan.kind === 'materialize') {
      this.changes.set(plan.name, { name: plan.name, query: plan.query, columns: plan.columns, types: plan.columns.map(() => undefined) });
    }
  }

  stored(name: string): StoredViewShape | undefined {
    return this.changes.get(name.toLowerCase(), (key) => this.base.stored(key));
  }

  hasStored(): boolean {
    return this.changes.changed ? this.storedNames().length > 0 : this.base.hasStored();
  }

  storedNames(): string[] {
    return this.changes.names(this.base.storedNames());
  }
}
