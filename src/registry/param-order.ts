// The order params are listed in templates and manifests (StackQL's): required ones (host, then
// path order, then the rest in spec order), then optional ones, api-version first.

import type { MethodSpec, ParamSpec } from '../registry/types.ts';

export function orderedParams(method: MethodSpec): ParamSpec[] {
  const pathOrder = [...method.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const rank = (param: ParamSpec): number => {
    if (param.in === 'host') return -1;
    if (param.in === 'path') return pathOrder.indexOf(param.name);
    return pathOrder.length;
  };
  const required = method.params.filter((param) => param.required);
  const optional = method.params.filter((param) => !param.required);
  const byRank = required.map((param, index) => ({ param, index })).sort((a, b) => rank(a.param) - rank(b.param) || a.index - b.index);
  const apiVersionFirst = [...optional.filter((param) => param.name === 'api-version'), ...optional.filter((param) => param.name !== 'api-version')];
  return [...byRank.map((entry) => entry.param), ...apiVersionFirst];
}

/** A param the user must give: required, with no registry default. */
export function isUserRequired(param: ParamSpec): boolean {
  return param.required && param.default === undefined && param.defaultRelativeTime === undefined;
}
