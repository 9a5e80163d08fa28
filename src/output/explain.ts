// EXPLAIN: a plan as text, one line a row, indented as a tree (the way DataFusion's EXPLAIN
// prints its plans), or as the plan's own JSON. The text says what will be sent, what each
// request answers of the statement, what is left to SQLite, and what follows from what.

import type { ExplainPlan, HttpStatementPlan, InsertSelectPlan, MaterializePlan, RequestPlan, StatementPlan, ViewChangePlan } from '../plan/types.ts';
import type { SelectStatementPlan, SourceDependency, SourcePlan, SourceRequest } from '../plan/types-select.ts';
import { redactUrl } from '../exec/redact.ts';

export function explainRows(plan: ExplainPlan): { columns: string[]; rows: { plan: string }[] } {
  const lines = plan.format === 'json' ? [JSON.stringify(plan.plan, null, 2)] : explainLines(plan.plan);
  return { columns: ['plan'], rows: lines.map((line) => ({ plan: line })) };
}

export function explainLines(plan: Exclude<StatementPlan, ExplainPlan>): string[] {
  switch (plan.kind) {
    case 'select':
      return selectLines(plan, '');
    case 'http':
      return httpLines(plan, '');
    case 'insert_select':
      return insertSelectLines(plan);
    case 'local':
      return [`Answer from the registry: ${plan.rows.length} row(s) of ${plan.columns.join(', ')}`];
    case 'registry_add':
      return [
        `Registry add: ${plan.specFile} as ${plan.provider}.${plan.service}${plan.audience ? `, audience ${plan.audience}` : ''}${plan.replaces ? ' (replaces the service)' : ''}`,
      ];
    case 'view_change':
      return [viewChangeLine(plan)];
    case 'materialize':
      return [materializeLine(plan), ...selectLines(plan.select, '  ')];
    case 'registry_list':
      return [`Registry list: the providers${plan.provider ? ` named ${plan.provider}` : ''} of ${plan.from ?? 'the configured registry'}`];
    case 'registry_pull':
      return [
        `Registry pull: ${plan.provider}${plan.version ? ` ${plan.version}` : ''} from ${plan.from ?? 'the configured registry'}${plan.into ? ` into ${plan.into}` : ''}`,
      ];
  }
}

function materializeLine(plan: MaterializePlan): string {
  const verb = plan.action === 'refresh' ? 'Refresh' : plan.action === 'replace' ? 'Replace' : 'Keep';
  return `${verb} the materialized view ${plan.name} (${plan.columns.join(', ')}): the rows of this SELECT, kept by the engine`;
}

function viewChangeLine(plan: ViewChangePlan): string {
  if (plan.materialized)
    return plan.action === 'drop' ? `Forget the materialized view ${plan.name} and its rows` : `No materialized view ${plan.name}: nothing to drop`;
  switch (plan.action) {
    case 'create':
      return `Keep the view ${plan.name}: ${oneLine(plan.query ?? '')}`;
    case 'replace':
      return `Replace the view ${plan.name}: ${oneLine(plan.query ?? '')}`;
    case 'drop':
      return `Forget the view ${plan.name}`;
    case 'none':
      return `No view ${plan.name}: nothing to drop`;
  }
}

function selectLines(plan: SelectStatementPlan, indent: string): string[] {
  const lines = [`${indent}Select`];
  const inner = `${indent}  `;
  if (plan.aggregate)
    lines.push(
      `${inner}Aggregate in JavaScript as pages arrive: ${plan.aggregate.columns.join(', ')}${plan.aggregate.limit !== undefined ? ` (limit ${plan.aggregate.limit})` : ''}`,
    );
  else if (plan.streaming?.direct)
    lines.push(`${inner}Stream page by page, no SQL: columns ${plan.streaming.direct.columns.map((column) => column.name).join(', ')}${directFilters(plan)}`);
  else
    lines.push(
      `${inner}${plan.streaming ? 'Stream page by page through' : 'Run in'} SQLite: ${oneLine(plan.query.text)}${plan.query.params.length ? `  [params: ${plan.query.params.map(value).join(', ')}]` : ''}`,
    );
  if (plan.streaming?.limit !== undefined || plan.streaming?.offset)
    lines.push(`${inner}Stop after ${plan.streaming?.limit ?? 'all'} row(s), skip ${plan.streaming?.offset ?? 0}`);
  if (plan.query.cancellableText) lines.push(`${inner}Runs on a worker thread, with cancellation checks`);
  plan.sources.forEach((source, index) => lines.push(...sourceLines(source, index, plan, inner)));
  return lines;
}

/** The equality filters of a direct plan, named by their columns. */
function directFilters(plan: SelectStatementPlan): string {
  const direct = plan.streaming!.direct!;
  const columns = plan.sources[0].storedColumns;
  const filters = direct.filters.map(
    (filter) => `${columns[filter.index]} ${filter.values.length === 1 ? `= ${value(filter.values[0])}` : `IN (${filter.values.map(value).join(', ')})`}`,
  );
  return filters.length > 0 ? `; rows where ${filters.join(' AND ')}` : '';
}

function sourceLines(source: SourcePlan, index: number, plan: SelectStatementPlan, indent: string): string[] {
  const inner = `${indent}  `;
  const lines = [`${indent}Source ${index}: ${source.operation} → table ${source.table} (${source.storedColumns.join(', ') || 'no columns'})`];
  if (source.stored !== undefined) lines.push(`${inner}Rows kept by the engine: no request`);
  if (source.dependency) lines.push(`${inner}${dependencyText(source.dependency, plan)}`);
  for (const entry of source.requests) lines.push(...requestLines(entry.request, inner, entry));
  return lines;
}

function dependencyText(dependency: SourceDependency, plan: SelectStatementPlan): string {
  const joined = dependency.params.map((entry) => `${oneLine(entry.value.text)} as ${entry.param}`).join(', ');
  const from = dependency.sources.map((entry) => `${entry.source} (${plan.sources[entry.source].operation})`);
  if (from.length === 1) return `After source ${from[0]}: one request per distinct ${joined} of its rows`;
  const links = dependency.links.map((link) => oneLine(link.text)).join(' AND ');
  return `After sources ${from.join(', ')}: one request per distinct ${joined} of their rows${links ? ` where ${links}` : ' (every combination)'}`;
}

function pagesText(pagination: NonNullable<RequestPlan['pagination']>): string {
  switch (pagination.kind) {
    case 'nextLink':
      return `follow ${pagination.nextLinkName}`;
    case 'continuationToken':
      return `send ${pagination.tokenField} back`;
    case 'linkHeader':
      return "follow the Link header's next";
  }
}

function requestLines(request: RequestPlan, indent: string, source?: SourceRequest): string[] {
  const lines = [`${indent}${request.method} ${redactUrl(request.url)}`];
  const inner = `${indent}  `;
  if (source?.pushed && Object.keys(source.pushed).length > 0)
    lines.push(
      `${inner}answers: ${Object.entries(source.pushed)
        .map(([name, given]) => `${name} = ${value(given)}`)
        .join(' AND ')}`,
    );
  if (request.body !== undefined) lines.push(`${inner}body: ${oneLine(request.body)}`);
  if (request.pagination) lines.push(`${inner}pages: ${pagesText(request.pagination)}`);
  if (request.clockDefaults?.length)
    lines.push(`${inner}defaults from the clock: ${request.clockDefaults.map((entry) => `${entry.name} = ${entry.value}`).join(', ')}`);
  if (request.audience) lines.push(`${inner}token: ${request.audience}`);
  if (!request.idempotent) lines.push(`${inner}not retried once sent${request.check ? `; check with: ${request.check}` : ''}`);
  return lines;
}

function httpLines(plan: HttpStatementPlan, indent: string): string[] {
  const operation = plan.requests[0]?.operation ?? '(no request)';
  const lines = [`${indent}Send ${plan.requests.length} request(s) to ${operation}${plan.awaitCompletion ? ', waiting for long-running operations' : ''}`];
  lines.push(...returnLines(plan, `${indent}  `));
  for (const request of plan.requests) lines.push(...requestLines(request, `${indent}  `));
  return lines;
}

function insertSelectLines(plan: InsertSelectPlan): string[] {
  const { template } = plan.target;
  return [
    `Send one request to ${template.operation} per row of:`,
    ...selectLines(plan.select, '  '),
    `  Each row gives: ${plan.target.params.filter((_param, i) => !plan.target.fromStatement.includes(i)).join(', ')}${
      Object.keys(template.given).length
        ? `; the statement gives: ${Object.entries(template.given)
            .map(([name, given]) => `${name} = ${JSON.stringify(given)}`)
            .join(', ')}`
        : ''
    }`,
    ...returnLines(plan, '  '),
  ];
}

/** What the statement returns: response fields, or SQLite's query over the response's rows. */
function returnLines(plan: HttpStatementPlan | InsertSelectPlan, indent: string): string[] {
  if (plan.returning) {
    const { query, columns } = plan.returning;
    const params = query.params.length ? ` with ${query.params.map((param) => JSON.stringify(param)).join(', ')}` : '';
    return [`${indent}Return ${columns.join(', ')}, computed by SQLite over the response's rows (every field): ${oneLine(query.text)}${params}`];
  }
  return plan.projection.length > 0 ? [`${indent}Return ${plan.projection.map((column) => column.name).join(', ')}`] : [];
}

function value(given: unknown): string {
  return typeof given === 'string' ? `'${given.replace(/'/g, "''")}'` : String(given);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
