// A StackQL provider.yaml (`<provider>/<version>/provider.yaml`) → a skyql ProviderSpec and the
// document of each service. Only this file is read to list services: service documents are read
// when a statement first names them.

import { isAbsolute, normalize, sep } from 'node:path';
import { isJsonObject, type Json } from '../../generator/refs.ts';
import type { ProviderAuthConfig, ProviderSpec, ServiceEntry } from '../types.ts';

export interface StackqlProvider {
  readonly spec: ProviderSpec;
  /** Absolute path of each service's document. */
  readonly files: ReadonlyMap<string, string>;
}

/** Whether a parsed provider.yaml is StackQL's (services under `providerServices`). */
export function isStackqlProvider(doc: unknown): doc is Json {
  return isJsonObject(doc) && isJsonObject(doc.providerServices);
}

/** `folder` is the version folder holding provider.yaml. Services whose document lies outside it are left out. */
export function providerFromStackql(doc: Json, name: string, version: string, folder: string): StackqlProvider {
  const services: Record<string, ServiceEntry> = {};
  const files = new Map<string, string>();
  for (const [serviceName, raw] of Object.entries(doc.providerServices as Json)) {
    if (!isJsonObject(raw)) continue;
    const relative = serviceDocument(raw, version);
    if (relative === undefined) continue;
    services[serviceName] = entryOf(serviceName, raw, relative);
    // Both parts are normal paths (`folder` is joined, `relative` normalized): join's normalizing again costs a start ~1 ms.
    files.set(serviceName, `${folder}${sep}${relative}`);
  }
  const config = isJsonObject(doc.config) ? doc.config : {};
  const auth = isJsonObject(config.auth) && typeof config.auth.type === 'string' ? (config.auth as ProviderAuthConfig) : undefined;
  const title = typeof doc.title === 'string' ? doc.title : undefined;
  return { spec: { name, ...(title && { title }), services, stackql: { version, ...(auth && { auth }) } }, files };
}

function entryOf(name: string, raw: Json, file: string): ServiceEntry {
  return {
    name,
    ...(typeof raw.title === 'string' && { title: raw.title }),
    ...(typeof raw.description === 'string' && { description: raw.description.trim() }),
    file,
  };
}

/**
 * The service document, relative to the version folder. StackQL writes the $ref from the
 * registry's root (`azure/v00.00.00000/services/compute.yaml`); a ref that leaves the version
 * folder is not followed.
 */
function serviceDocument(raw: Json, version: string): string | undefined {
  const ref = isJsonObject(raw.service) ? raw.service.$ref : undefined;
  if (typeof ref !== 'string' || ref === '' || isAbsolute(ref) || ref.includes('\\')) return undefined;
  // `<provider>/<version>/…`, where StackQL's folder may be named otherwise (google: googleapis.com).
  const prefix = `/${version}/`;
  const at = ref.indexOf(prefix);
  const relative = normalPath(at > 0 && !ref.slice(0, at).includes('/') ? ref.slice(at + prefix.length) : ref);
  return relative.startsWith('..') || isAbsolute(relative) ? undefined : relative;
}

/** Most refs are normal paths already: those are not normalized (269 of them are ~2 ms of a start). */
function normalPath(path: string): string {
  return sep === '/' && path !== '' && !NOT_NORMAL.test(path) ? path : normalize(path);
}

/** A `.` or `..` segment, an empty segment or a trailing slash. */
const NOT_NORMAL = /(^|\/)\.{1,2}(\/|$)|\/\/|\/$/;
