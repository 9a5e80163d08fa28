// The request of a dependent join's source for one value of the column it joins on.

import { findParam } from './params.ts';
import { buildRequest } from './request.ts';
import type { SqlValue } from './types.ts';
import type { SourceDependency, SourceRequest } from './types-select.ts';
import { coerceParam } from './values.ts';

export function dependentRequest(dependency: SourceDependency, value: SqlValue): SourceRequest {
  const literal = { kind: 'literal' as const, value, quoted: typeof value === 'string', fromData: true as const };
  const coerced = coerceParam(dependency.param, literal, dependency.context);
  const params = new Map(dependency.base);
  if (coerced !== undefined) params.set(dependency.param, coerced);
  const request = buildRequest({ service: dependency.service, method: dependency.method, operation: dependency.context.operation, params }, dependency.options);
  const values: Record<string, SqlValue> = { ...dependency.baseValues };
  for (const column of dependency.columns) if (findParam(dependency.method, column) === dependency.param) values[column] = value;
  return { request, paramValues: values };
}
