// The request of a dependent join's source for one value of the column it joins on.

import type { SqlValue } from './types.ts';
import type { RequestFactory } from './templates.ts';
import type { SourceDependency, SourceRequest } from './types-select.ts';

export function dependentRequest(dependency: SourceDependency, value: SqlValue, requests: RequestFactory): SourceRequest {
  const request = requests.fromTemplate(dependency.template, [{ param: dependency.param, value }]);
  const values: Record<string, SqlValue> = { ...dependency.baseValues };
  // The source's param columns not given by the statement are the joined param's (in each spelling used).
  for (const column of dependency.columns) if (!(column in dependency.baseValues)) values[column] = value;
  return { request, paramValues: values };
}
