// Resolves `provider.service.resource[.method]` names to registry entries.

import { EngineError, spanAt, type ErrorCode } from '../errors.ts';
import type { QualifiedName } from '../sql/ast.ts';
import { closestName, didYouMean } from '../util/suggest.ts';
import type { RegistryView } from './load.ts';
import type { MethodSpec, ProviderSpec, ResourceSpec, ServiceSpec } from './types.ts';
import { sameName } from '../util/same-name.ts';

export interface ResolvedResource {
  readonly provider: ProviderSpec;
  readonly service: ServiceSpec;
  readonly resource: ResourceSpec;
}

export interface ResolvedMethod extends ResolvedResource {
  readonly method: MethodSpec;
}

export function resolveProvider(registry: RegistryView, name: QualifiedName, script: string): ProviderSpec {
  const [providerName] = name.parts;
  const found = pick(registry.providerNames(), providerName);
  const provider = found === undefined ? undefined : registry.provider(found);
  if (!provider) throw missingProvider(providerName, registry.providerNames(), name, script);
  return provider;
}

export function resolveService(registry: RegistryView, name: QualifiedName, script: string): { provider: ProviderSpec; service: ServiceSpec } {
  const provider = resolveProvider(registry, name, script);
  const serviceName = requirePart(name, 1, 'provider.service', script);
  const names = Object.keys(provider.services);
  const found = pick(names, serviceName);
  const service = found === undefined ? undefined : registry.service(provider.name, found);
  if (!service) throw missingService(provider, serviceName, names, name, script);
  return { provider, service };
}

/** The resources of a service: those of its first document, then those only a later one has (resolve order). */
export function serviceResources(registry: RegistryView, provider: string, service: string): ResourceSpec[] {
  const byName = new Map<string, ResourceSpec>();
  for (const layer of registry.serviceLayers(provider, service)) {
    for (const resource of Object.values(layer.resources)) if (!byName.has(resource.name)) byName.set(resource.name, resource);
  }
  return [...byName.values()];
}

export function resolveResource(registry: RegistryView, name: QualifiedName, script: string): ResolvedResource {
  if (name.parts.length > 3) {
    throw new EngineError('SQL_SYNTAX', `"${name.parts.join('.')}" names a method; a resource is provider.service.resource`, { span: spanOf(name, script) });
  }
  const { provider, service } = resolveService(registry, name, script);
  const resourceName = requirePart(name, 2, 'provider.service.resource', script);
  const layers = registry.serviceLayers(provider.name, service.name);
  for (const layer of layers) {
    const found = pick(Object.keys(layer.resources), resourceName);
    if (found !== undefined) return { provider, service: layer, resource: layer.resources[found] };
  }
  const names = serviceResources(registry, provider.name, service.name).map((resource) => resource.name);
  throw unknown('REG_UNKNOWN_RESOURCE', `unknown resource "${service.id}.${resourceName}"`, resourceName, names, name, script);
}

export function resolveMethod(registry: RegistryView, name: QualifiedName, script: string): ResolvedMethod {
  const methodName = requirePart(name, 3, 'provider.service.resource.method', script);
  const resolved = resolveResource(registry, { ...name, parts: name.parts.slice(0, 3) }, script);
  const names = Object.keys(resolved.resource.methods);
  const found = pick(names, methodName);
  if (found === undefined) throw unknown('REG_UNKNOWN_METHOD', `unknown method "${resolved.resource.id}.${methodName}"`, methodName, names, name, script);
  return { ...resolved, method: resolved.resource.methods[found] };
}

function pick(names: readonly string[], wanted: string): string | undefined {
  return names.find((name) => name === wanted) ?? names.find((name) => sameName(name, wanted));
}

function requirePart(name: QualifiedName, index: number, shape: string, script: string): string {
  const part = name.parts[index];
  if (part === undefined) {
    throw new EngineError('SQL_SYNTAX', `"${name.parts.join('.')}" is incomplete: expected ${shape}`, { span: spanOf(name, script) });
  }
  return part;
}

/**
 * A provider that is not in the registry: a typo of one that is (did you mean), or one to pull.
 * Either way the message says how to pull it: never "unknown provider" alone.
 */
function missingProvider(providerName: string, names: readonly string[], name: QualifiedName, script: string): EngineError {
  const pull = `REGISTRY PULL ${providerName}; (skyql registry pull ${providerName}) adds it from your registry (--registry, SKYQL_REGISTRY; StackQL's by default)`;
  const close = closestName(providerName, names);
  if (close)
    return new EngineError('REG_UNKNOWN_PROVIDER', `unknown provider "${providerName}"`, {
      hint: `did you mean "${close}"? If not, ${pull}`,
      span: spanOf(name, script),
      details: { provider: providerName },
    });
  return new EngineError('REG_NOT_PULLED', `provider "${providerName}" is not in your registry`, {
    hint: pull,
    span: spanOf(name, script),
    details: { provider: providerName },
  });
}

/** A service a pull of its provider would add (the provider is not pulled yet), else a typo. */
function missingService(provider: ProviderSpec, serviceName: string, names: readonly string[], name: QualifiedName, script: string): EngineError {
  const close = closestName(serviceName, names);
  if (provider.stackql || close) {
    const suggestion = didYouMean(serviceName, names);
    return new EngineError('REG_UNKNOWN_SERVICE', `unknown service "${provider.name}.${serviceName}"`, {
      hint: suggestion || undefined,
      span: spanOf(name, script),
      details: { provider: provider.name, service: serviceName },
    });
  }
  return new EngineError('REG_NOT_PULLED', `${provider.name}.${serviceName} is not in your registry, which has ${provider.name}'s ${names.join(', ')}`, {
    hint: `REGISTRY PULL ${provider.name}; (skyql registry pull ${provider.name}) adds every service of StackQL's ${provider.name} provider`,
    span: spanOf(name, script),
    details: { provider: provider.name, service: serviceName },
  });
}

function unknown(code: ErrorCode, message: string, wanted: string, names: readonly string[], name: QualifiedName, script: string): EngineError {
  const suggestion = didYouMean(wanted, names);
  return new EngineError(code, message, { hint: suggestion || undefined, span: spanOf(name, script) });
}

function spanOf(name: QualifiedName, script: string) {
  return spanAt(script, name.span.offset, name.span.length);
}
