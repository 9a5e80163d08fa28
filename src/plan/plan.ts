// The plan stage's entry point: a parsed statement + the registry → the exact requests.
// Pure: no I/O beyond reading registry documents.

import { EngineError, spanAt } from '../errors.ts';
import type { ExecStatement, InsertStatement, ParsedStatement, SelectStatement } from '../sql/ast.ts';
import { checkTemplateVars } from '../sql/templates.ts';
import type { Registry } from '../registry/load.ts';
import { resolveMethod, resolveResource, type ResolvedResource } from '../registry/resolve.ts';
import type { MethodSpec, SqlVerb } from '../registry/types.ts';
import { planExplain } from './explain.ts';
import { bindParams, findParam, type NamedValue } from './params.ts';
import { chooseMethod } from './choose-method.ts';
import { projectFields, returningProjection } from './projection.ts';
import { buildRequest } from './request.ts';
import { literalValue, parseJson, type ValueContext } from './values.ts';
import type { HttpStatementPlan, LocalFilter, PlanOptions, StatementPlan } from './types.ts';

export function planStatement(parsed: ParsedStatement, registry: Registry, options: PlanOptions): StatementPlan {
  checkTemplateVars(parsed.text.slice(parsed.span.offset, parsed.span.offset + parsed.span.length), options.vars);
  const { statement } = parsed;
  switch (statement.kind) {
    case 'insert': return planInsert(statement, parsed.text, registry, options);
    case 'exec': return planExec(statement, parsed.text, registry, options);
    case 'select': return planSelect(statement, parsed.text, registry, options);
    case 'show':
    case 'describe': return planExplain(statement, parsed.text, registry);
    case 'registry_add': {
      const [provider, service] = statement.target.parts;
      return { kind: 'registry_add', specFile: statement.specFile, provider, service, audience: statement.audience };
    }
  }
}

function planInsert(statement: InsertStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const resolved = resolveResource(registry, statement.target, script);
  const names = statement.columns.map((column) => column.name);
  const method = chooseMethod(resolved, 'insert', names, script, statement.target.span);
  const operation = `${resolved.resource.id}.${method.name}`;
  const context: ValueContext = { script, vars: options.vars, operation };
  const requests = statement.rows.map((row) => {
    const values: NamedValue[] = row.map((value, i) => ({ ...statement.columns[i], value }));
    return buildRequest({ service: resolved.service, method, operation, params: bindParams(method, operation, values, context) }, options);
  });
  return httpPlan(requests, method, returningProjection(method, operation, statement.returning, script), []);
}

function planExec(statement: ExecStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const resolved = resolveMethod(registry, statement.target, script);
  const { method } = resolved;
  const operation = `${resolved.resource.id}.${method.name}`;
  const context: ValueContext = { script, vars: options.vars, operation };
  const params = bindParams(method, operation, statement.args, context);
  const jsonBody = statement.json ? execJsonBody(method, operation, statement.json, context) : undefined;
  const request = buildRequest({ service: resolved.service, method, operation, params, jsonBody }, options);
  return httpPlan([request], method, projectFields(method.response.fields), []);
}

function execJsonBody(method: MethodSpec, operation: string, literal: ExecStatement['json'] & object, context: ValueContext): object {
  if (['GET', 'HEAD', 'DELETE'].includes(method.httpMethod)) {
    throw new EngineError('PLAN_UNKNOWN_PARAM', `${operation} (${method.httpMethod}) takes no request body, so @@json has nowhere to go`);
  }
  const parsed = parseJson(String(literalValue(literal, context.vars) ?? ''), '@@json', context);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EngineError('PLAN_INVALID_JSON', '@@json must be a JSON object');
  }
  return parsed;
}

function planSelect(statement: SelectStatement, script: string, registry: Registry, options: PlanOptions): HttpStatementPlan {
  const resolved = resolveResource(registry, statement.from, script);
  const method = chooseSelectMethod(resolved, statement, script);
  const operation = `${resolved.resource.id}.${method.name}`;
  const context: ValueContext = { script, vars: options.vars, operation };
  const paramConditions = statement.where.filter((condition) => findParam(method, condition.column));
  const filters = localFilters(statement, method, operation, context);
  const values = paramConditions.map((condition) => ({ name: condition.column, value: condition.value, span: condition.span }));
  const request = buildRequest({ service: resolved.service, method, operation, params: bindParams(method, operation, values, context) }, options);
  const projection = projectFields(method.response.fields, statement.items, operation, script, statement.from.span);
  return httpPlan([request], method, projection, filters);
}

function chooseSelectMethod(resolved: ResolvedResource, statement: SelectStatement, script: string): MethodSpec {
  return chooseMethod(resolved, 'select', statement.where.map((condition) => condition.column), script, statement.from.span, true);
}

function localFilters(statement: SelectStatement, method: MethodSpec, operation: string, context: ValueContext): LocalFilter[] {
  return statement.where
    .filter((condition) => !findParam(method, condition.column))
    .map((condition) => {
      const field = method.response.fields.find((candidate) => candidate.name.toLowerCase() === condition.column.toLowerCase());
      if (!field) {
        throw new EngineError('PLAN_UNKNOWN_COLUMN', `${operation} has no param or column "${condition.column}"`, {
          span: condition.span && spanAt(context.script, condition.span.offset, condition.span.length),
        });
      }
      return { column: field.name, value: literalValue(condition.value, context.vars) };
    });
}

function httpPlan(requests: HttpStatementPlan['requests'], method: MethodSpec, projection: HttpStatementPlan['projection'], filters: LocalFilter[]): HttpStatementPlan {
  return { kind: 'http', requests, fields: method.response.fields, projection, filters };
}

export type { SqlVerb };
