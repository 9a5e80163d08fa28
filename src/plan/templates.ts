// Requests planned as data before their last values are known (a dependent join's, one per
// distinct value of the column it joins on; INSERT … SELECT's, one per row): a template names the
// method and holds the values the statement gives; the request is built when the rest arrive.
// Values that come from fetched rows are checked like any other, and never expanded as templates.

import { EngineError } from '../errors.ts';
import type { RegistryView } from '../registry/load.ts';
import type { MethodSpec, ParamSpec, ServiceSpec } from '../registry/types.ts';
import type { Literal } from '../sql/ast.ts';
import { applyBinding, findParam, prepareBinding } from './params.ts';
import { buildRequest } from './request.ts';
import type { PlanOptions, RequestPlan, RequestTemplate, SqlValue } from './types.ts';
import { coerceParam, type ParamValue } from './values.ts';

/** Builds the requests of templates once their values are known (exec/ gets one from its owner). */
export interface RequestFactory {
  /** The request with `values` (by param name, from fetched rows) added to what the template gives. */
  fromTemplate(template: RequestTemplate, values: readonly { readonly param: string; readonly value: SqlValue }[]): RequestPlan;
}

/** A template of a method with the values a statement gives it. */
export function templateOf(
  service: ServiceSpec,
  resource: string,
  method: MethodSpec,
  operation: string,
  given: ReadonlyMap<ParamSpec, ParamValue>,
): RequestTemplate {
  const values: Record<string, ParamValue> = {};
  for (const [param, value] of given) values[param.name] = value;
  return { operation, provider: service.provider, service: service.name, resource, method: method.name, given: values };
}

export function requestFactory(registry: RegistryView, options: () => PlanOptions): RequestFactory {
  return {
    fromTemplate(template, values) {
      const { service, method } = resolveTemplate(registry, template);
      const planOptions = options();
      const params = new Map<ParamSpec, ParamValue>();
      for (const [name, value] of Object.entries(template.given)) params.set(paramOf(method, name, template), value);
      const context = { script: '', vars: planOptions.vars, operation: template.operation, session: planOptions.session };
      const binding = prepareBinding(
        method,
        template.operation,
        values.map((entry) => ({ name: entry.param })),
        '',
        [...params.keys()],
      );
      const fromRows = applyBinding(
        binding,
        values.map((entry) => dataLiteral(entry.value)),
        context,
      );
      for (const [param, value] of fromRows) params.set(param, value);
      return buildRequest({ service, method, operation: template.operation, params }, planOptions);
    },
  };
}

/** A value from fetched data: used as it is, never expanded as a `{{ template }}`. */
export function dataLiteral(value: SqlValue): Literal {
  return { kind: 'literal', value, quoted: typeof value === 'string', fromData: true };
}

/** The coerced, checked value of one param from fetched data (undefined: empty or NULL). */
export function dataValue(param: ParamSpec, value: SqlValue, options: PlanOptions, operation: string): ParamValue | undefined {
  return coerceParam(param, dataLiteral(value), { script: '', vars: options.vars, operation, session: options.session });
}

function resolveTemplate(registry: RegistryView, template: RequestTemplate): { service: ServiceSpec; method: MethodSpec } {
  const service = registry.service(template.provider, template.service);
  const method = service?.resources[template.resource]?.methods[template.method];
  if (!service || !method) throw new EngineError('INTERNAL_INVARIANT', `${template.operation} is no longer in the registry`);
  return { service, method };
}

function paramOf(method: MethodSpec, name: string, template: RequestTemplate): ParamSpec {
  const param = findParam(method, name);
  if (!param) throw new EngineError('INTERNAL_INVARIANT', `${template.operation} has no param "${name}"`);
  return param;
}
