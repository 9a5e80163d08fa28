// One parsed OpenAPI 2 or 3 document (+ a loader for the files its $refs point into) → a ServiceSpec.
// Pure apart from the loader: no file system, no clock; used by `registry:generate` and meant
// for a later `skyql registry add`.
import type { MethodSpec, ResourceSpec, ServerSpec, ServiceSpec } from '../registry/types.ts';
import { methodsOf } from './methods.ts';
import type { PlacedMethod } from './methods.ts';
import { collectOperations, isOpenApi3 } from './openapi.ts';
import type { ServiceOverrides } from './overrides.ts';
import { createRefResolver, isJsonObject } from './refs.ts';
import type { Located, LoadDocument } from './refs.ts';
import { withoutUndefined } from './schema.ts';
import { serverOf } from './server.ts';
import { humanize } from './words.ts';

export interface ServiceOptions {
  readonly provider: string;
  readonly service: string;
  /** The document's path: relative $refs resolve against it, and warnings name it. */
  readonly file?: string;
  readonly overrides?: ServiceOverrides;
  /** Loads a document another $ref points into, by the same kind of path; undefined when missing. */
  readonly resolveRef?: LoadDocument;
}

export interface ServiceResult {
  readonly service: ServiceSpec;
  /** Unresolved $refs, unsupported inputs, unused overrides. */
  readonly warnings: string[];
  /** Name collisions the generator resolved, and how. */
  readonly notes: string[];
}

export function serviceFromOpenApi(doc: unknown, options: ServiceOptions): ServiceResult {
  const file = options.file ?? 'openapi.json';
  if (!isJsonObject(doc)) throw new Error(`${file}: not an OpenAPI document`);
  const overrides = options.overrides ?? {};
  const root: Located = { node: doc, file, pointer: '' };
  const refs = createRefResolver({
    rootFile: file,
    rootDoc: doc,
    loadDocument: options.resolveRef,
    redirects: overrides.refRedirects,
  });
  const warnings: string[] = [];
  const notes: string[] = [];
  const { server, hostParams } = serverOf(root, refs);
  const info = isJsonObject(doc.info) ? doc.info : {};
  const context = {
    refs,
    apiVersion: String(info.version ?? ''),
    openApi3: isOpenApi3(root),
    notes,
    hostParams,
    overrides,
    warnings,
  };
  const operations = collectOperations(root, refs, warnings);
  const placed = operations.flatMap((operation) => methodsOf(operation, context));
  const id = `${options.provider}.${options.service}`;
  const resources = groupResources(placed, id, overrides);
  warnUnusedOverrides(
    overrides,
    operations.map((operation) => operation.operationId),
    Object.keys(resources),
    warnings,
  );
  const finalServer = overrides.server ?? server;
  const service: ServiceSpec = withoutUndefined({
    name: options.service,
    provider: options.provider,
    id,
    title: overrides.title ?? stringOrUndefined(info.title),
    description: overrides.description ?? stringOrUndefined(info.description)?.trim(),
    server: finalServer,
    audience: overrides.audience ?? defaultAudience(finalServer, warnings, id),
    resources,
  });
  return { service, warnings: [...refs.warnings, ...warnings], notes };
}

function groupResources(placed: readonly PlacedMethod[], serviceId: string, overrides: ServiceOverrides): Record<string, ResourceSpec> {
  const byResource = new Map<string, Record<string, MethodSpec>>();
  for (const { resource, method } of placed) {
    const methods = byResource.get(resource) ?? {};
    const existing = methods[method.name];
    if (existing) {
      throw new Error(
        `${serviceId}.${resource}.${method.name} would be both ${existing.operationId} and ${method.operationId}; ` +
          'give one of them another resource or method name in the overrides file',
      );
    }
    methods[method.name] = method;
    byResource.set(resource, methods);
  }
  const names = [...byResource.keys()].sort();
  return Object.fromEntries(names.map((name) => [name, resourceSpec(name, serviceId, byResource.get(name)!, overrides)]));
}

function resourceSpec(name: string, serviceId: string, methods: Record<string, MethodSpec>, overrides: ServiceOverrides): ResourceSpec {
  const override = overrides.resources?.[name] ?? {};
  return withoutUndefined({
    name,
    id: `${serviceId}.${name}`,
    title: override.title ?? humanize(name),
    description: override.description,
    methods,
  });
}

function warnUnusedOverrides(overrides: ServiceOverrides, operationIds: readonly string[], resourceNames: readonly string[], warnings: string[]): void {
  for (const operationId of Object.keys(overrides.operations ?? {})) {
    if (!operationIds.includes(operationId)) warnings.push(`overrides name operation ${operationId}, which the document does not have`);
  }
  const named = [...Object.keys(overrides.resources ?? {}), ...Object.values(overrides.resourceRenames ?? {})];
  for (const resource of named) {
    if (!resourceNames.includes(resource)) warnings.push(`overrides name resource ${resource}, which the document does not produce`);
  }
}

/** `<origin>/.default` for an absolute server URL; a templated host needs the audience in the overrides. */
function defaultAudience(server: ServerSpec, warnings: string[], serviceId: string): string {
  const origin = /^https?:\/\/[^/{}]+/.exec(server.url)?.[0];
  if (origin) return `${origin}/.default`;
  warnings.push(`${serviceId}: no audience in the overrides and none can be derived from '${server.url}'`);
  return '';
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
