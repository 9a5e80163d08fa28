// Server-side filters (ADF/Synapse RunQueryFilter) for conditions on row columns the API can
// filter by. The local query still applies the same conditions.

import type { MethodSpec } from '../registry/types.ts';
import type { SourceCondition } from '../sql/ast.ts';
import type { TemplateVars } from '../sql/templates.ts';
import { literalValue } from './values.ts';

export interface RunQueryFilter {
  readonly operand: string;
  readonly operator: 'Equals' | 'In';
  readonly values: readonly string[];
}

export function pushdownFilters(method: MethodSpec, conditions: readonly SourceCondition[], vars: TemplateVars): RunQueryFilter[] {
  const columns = method.filterPushdown?.columns ?? {};
  const byLowerName = new Map(Object.entries(columns).map(([column, operand]) => [column.toLowerCase(), operand]));
  return conditions.flatMap((condition): RunQueryFilter[] => {
    const operand = byLowerName.get(condition.column.toLowerCase());
    const values = condition.values.map((value) => literalValue(value, vars));
    if (!operand || values.some((value) => value === null)) return [];
    return [{ operand, operator: values.length > 1 ? 'In' : 'Equals', values: values.map(String) }];
  });
}
