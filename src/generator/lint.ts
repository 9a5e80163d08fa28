// Checks a generated service before it is written; any problem fails generation.
import type { MethodSpec, ResourceSpec, ServiceSpec } from '../registry/types.ts';

/** Problems as readable sentences naming `provider.service.resource.method`; [] when clean. */
export function lintService(service: ServiceSpec): string[] {
  const problems: string[] = [];
  for (const resource of Object.values(service.resources)) {
    problems.push(...ambiguousMethods(resource));
    for (const method of Object.values(resource.methods)) {
      problems.push(...lintMethod(service, `${resource.id}.${method.name}`, method));
    }
  }
  return problems;
}

/**
 * Within one resource and sqlVerb, the required params must tell the methods apart: a
 * SELECT/INSERT/UPDATE/REPLACE/DELETE picks its method by the params it gives. EXEC names its
 * method, so exec methods may share params (start/stop).
 */
function ambiguousMethods(resource: ResourceSpec): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const method of Object.values(resource.methods)) {
    if (method.sqlVerb === 'exec') continue;
    const key = `${method.sqlVerb}:${requiredParams(method).join(',')}`;
    const other = seen.get(key);
    if (other === undefined) {
      seen.set(key, method.name);
      continue;
    }
    problems.push(
      `${resource.id}: ${method.sqlVerb} methods ${other} and ${method.name} have the same required params ` +
        `(${requiredParams(method).join(', ') || 'none'}); change a sqlVerb or a param in the overrides file`,
    );
  }
  return problems;
}

function lintMethod(service: ServiceSpec, where: string, method: MethodSpec): string[] {
  const problems: string[] = [];
  const paramNamed = (location: string) => (name: string) => method.params.some((param) => param.in === location && param.name === name);
  for (const name of placeholders(method.path).filter((name) => !paramNamed('path')(name))) {
    problems.push(`${where}: path placeholder {${name}} has no path param`);
  }
  for (const name of placeholders(service.server.url).filter((name) => !paramNamed('host')(name))) {
    problems.push(`${where}: server placeholder {${name}} has no host param`);
  }
  if (method.sqlVerb === 'select' && method.response.fields.length === 0) {
    problems.push(`${where}: select method has no response fields`);
  }
  if (method.response.statusCodes.length === 0) problems.push(`${where}: no 2xx response declared`);
  const payloads = method.params.filter((param) => param.in === 'payload').length;
  const bodies = method.params.filter((param) => param.in === 'body').length;
  if (payloads > 1 || (payloads === 1 && bodies > 0)) problems.push(`${where}: mixes payload and body params`);
  return problems;
}

export function requiredParams(method: MethodSpec): string[] {
  return method.params
    .filter((param) => param.required && param.name !== 'api-version')
    .map((param) => param.name)
    .sort();
}

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
}
