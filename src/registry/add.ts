// `skyql registry add` / `REGISTRY ADD`: turns an OpenAPI document into a queryable service in
// the user's own registry folder, without a release of skyql.

import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EngineError } from '../errors.ts';
import { ARM_AUDIENCE, canonicalOrigin, CredentialHosts, isAllowedOrigin } from './credential-hosts.ts';
import { lintService } from '../generator/lint.ts';
import { isJsonObject } from '../generator/refs.ts';
import { serviceFromOpenApi } from '../generator/service.ts';
import { providerYaml, serviceYaml } from '../generator/yaml-out.ts';
import { parseErrorPosition, readRegularFile } from './files.ts';
import type { ProviderSpec } from './types.ts';

export interface AddServiceRequest {
  readonly specFile: string;
  readonly provider: string;
  readonly service: string;
  /** Registry folder to write into (the user's registry). */
  readonly root: string;
  /** OAuth scope for the service's tokens; none means requests are sent without a token. */
  readonly audience?: string;
  /** Where tokens may go: a service whose fixed server is not a host of its audience is refused. */
  readonly hosts?: CredentialHosts;
}

export interface AddServiceResult {
  readonly file: string;
  readonly resources: readonly string[];
  readonly warnings: readonly string[];
}

const NAME = /^[a-z][a-z0-9_]*$/;
/** Files one spec may span: the document and the files its $refs point into. */
export const MAX_SPEC_FILES = 64;

export function addServiceFromSpec(request: AddServiceRequest): AddServiceResult {
  for (const [what, name] of [
    ['provider', request.provider],
    ['service', request.service],
  ]) {
    if (!NAME.test(name)) throw new EngineError('CFG_INVALID', `${what} name "${name}" must be lowercase letters, digits and _`);
  }
  const specFile = resolve(request.specFile);
  const specs = specReader(specFile);
  const document = specs.read(specFile);
  if (!isJsonObject(document)) throw new EngineError('CFG_FILE', `${specFile} is not an OpenAPI document`);
  const result = serviceFromOpenApi(document, {
    provider: request.provider,
    service: request.service,
    file: specFile,
    overrides: { audience: request.audience },
    resolveRef: specs.readRef,
  });
  const service = { ...result.service, audience: request.audience ?? defaultAudience(result.service.server.url) };
  // Checked before anything is written: a spec cannot bind an audience's token to its own host.
  if (service.audience && !service.server.url.includes('{')) {
    (request.hosts ?? new CredentialHosts()).check(
      request.provider,
      service.audience,
      `${service.server.url.replace(/\/+$/, '')}/`,
      `${request.provider}.${request.service}`,
    );
  }
  const problems = lintService(service);
  if (problems.length > 0) throw new EngineError('REG_INVALID', `${specFile}: ${problems[0]}`, { details: { problems } });
  const folder = join(request.root, request.provider);
  const file = join(folder, `${request.service}.yaml`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, serviceYaml(service, `Added by skyql registry add from ${specFile}`));
  writeProvider(folder, request, service.title, service.description);
  return { file, resources: Object.keys(service.resources).sort(), warnings: result.warnings };
}

interface SpecReader {
  read(file: string): unknown;
  /** A file a $ref names; undefined when it does not exist. */
  readRef(file: string): unknown;
}

/**
 * Reads a spec and the files its $refs name: regular files of bounded size, at most
 * MAX_SPEC_FILES of them, all inside the spec's folder tree (also after following symlinks).
 */
function specReader(specFile: string): SpecReader {
  const folder = dirname(specFile);
  let realFolder: string | undefined;
  let files = 0;
  const read = (file: string): unknown => {
    if (++files > MAX_SPEC_FILES) throw new EngineError('REG_SPEC_LIMIT', `${specFile}: its $refs span more than ${MAX_SPEC_FILES} files`);
    return parseSpec(file, readRegularFile(file).toString('utf8'));
  };
  const readRef = (file: string): unknown => {
    if (!isInside(folder, file)) throw outsideFolder(file, folder);
    const real = realPathOrUndefined(file);
    if (real === undefined) return undefined;
    realFolder ??= realPathOrUndefined(folder) ?? folder;
    if (!isInside(realFolder, real)) throw outsideFolder(file, folder);
    return read(real);
  };
  return { read, readRef };
}

function isInside(folder: string, file: string): boolean {
  const path = relative(folder, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

function outsideFolder(file: string, folder: string): EngineError {
  return new EngineError('REG_SPEC_LIMIT', `$ref to ${file} leaves the spec's folder ${folder}; only files inside it are read`);
}

function realPathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EngineError('CFG_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
}

function parseSpec(file: string, text: string): unknown {
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // Parser messages quote the file; only the position is shown.
    throw new EngineError('CFG_FILE', `${file} is not JSON or YAML (${parseErrorPosition(error, text)})`);
  }
}

/** ARM's audience for a server on an ARM host (decided on the parsed URL), else none: no token. */
function defaultAudience(serverUrl: string): string {
  const origin = serverUrl.includes('{') ? undefined : canonicalOrigin(`${serverUrl.replace(/\/+$/, '')}/`);
  return origin && isAllowedOrigin(origin, ARM_AUDIENCE, new Set()) ? ARM_AUDIENCE : '';
}

function writeProvider(folder: string, request: AddServiceRequest, title?: string, description?: string): void {
  const file = join(folder, 'provider.yaml');
  const existing = existsSync(file) ? (parseYaml(readRegularFile(file).toString('utf8')) as ProviderSpec) : undefined;
  const services = { ...existing?.services, [request.service]: { name: request.service, title, description, file: `${request.service}.yaml` } };
  writeFileSync(
    file,
    providerYaml({ name: request.provider, title: existing?.title, description: existing?.description, services }, 'Services added by skyql registry add'),
  );
}
