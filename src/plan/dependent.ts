// The request of a dependent join's source for one combination of the values it joins on.

import type { SqlValue } from './types.ts';
import type { RequestFactory } from './templates.ts';
import type { SourceDependency, SourceRequest } from './types-select.ts';

/** `values`: one per joined param, in the dependency's order. */
export function dependentRequest(dependency: SourceDependency, values: readonly SqlValue[], requests: RequestFactory): SourceRequest {
  const request = requests.fromTemplate(
    dependency.template,
    dependency.params.map((joined, i) => ({ param: joined.param, value: values[i] })),
  );
  const paramValues: Record<string, SqlValue> = { ...dependency.baseValues };
  dependency.params.forEach((joined, i) => {
    for (const column of joined.columns) paramValues[column] = values[i];
  });
  return { request, paramValues };
}
