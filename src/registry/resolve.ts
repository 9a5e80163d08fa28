// Resolves `provider.service.resource[.method]` names to registry entries.

import { EngineError, spanAt, type ErrorCode } from '../errors.ts';
import type { QualifiedName } from '../sql/ast.ts';
import { didYouMean } from '../util/suggest.ts';
import type { RegistryView } from './load.ts';
import type { MethodSpec, ProviderSpec, ResourceSpec, ServiceSpec } from './types.ts';

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
  if (!provider) throw unknown('REG_UNKNOWN_PROVIDER', `unknown provider "${providerName}"`, providerName, registry.providerNames(), name, script);
  return provider;
}

export function resolveService(registry: RegistryView, name: QualifiedName, script: string): { provider: ProviderSpec; service: ServiceSpec } {
  const provider = resolveProvider(registry, name, script);
  const serviceName = requirePart(name, 1, 'provider.service', script);
  const names = Object.keys(provider.services);
  const found = pick(names, serviceName);
  const service = found === undefined ? undefined : registry.service(provider.name, found);
  if (!service) throw unknown('REG_UNKNOWN_SERVICE', `unknown service "${provider.name}.${serviceName}"`, serviceName, names, name, script);
  return { provider, service };
}

export function resolveResource(registry: RegistryView, name: QualifiedName, script: string): ResolvedResource {
  if (name.parts.length > 3) {
    throw new EngineError('SQL_SYNTAX', `"${name.parts.join('.')}" names a method; a resource is provider.service.resource`, { span: spanOf(name, script) });
  }
  const { provider, service } = resolveService(registry, name, script);
  const resourceName = requirePart(name, 2, 'provider.service.resource', script);
  const names = Object.keys(service.resources);
  const found = pick(names, resourceName);
  if (found === undefined) throw unknown('REG_UNKNOWN_RESOURCE', `unknown resource "${service.id}.${resourceName}"`, resourceName, names, name, script);
  return { provider, service, resource: service.resources[found] };
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
  return names.find((name) => name === wanted) ?? names.find((name) => name.toLowerCase() === wanted.toLowerCase());
}

function requirePart(name: QualifiedName, index: number, shape: string, script: string): string {
  const part = name.parts[index];
  if (part === undefined) {
    throw new EngineError('SQL_SYNTAX', `"${name.parts.join('.')}" is incomplete: expected ${shape}`, { span: spanOf(name, script) });
  }
  return part;
}

function unknown(code: ErrorCode, message: string, wanted: string, names: readonly string[], name: QualifiedName, script: string): EngineError {
  const suggestion = didYouMean(wanted, names);
  return new EngineError(code, message, { hint: suggestion || undefined, span: spanOf(name, script) });
}

function spanOf(name: QualifiedName, script: string) {
  return spanAt(script, name.span.offset, name.span.length);
}
