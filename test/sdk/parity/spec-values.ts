// Reads datafactory.json from ../shared at run time and builds, per operation, the argument
// values of a call as they go on the wire: from the operation's x-ms-examples file when it is
// there, otherwise made up from the params' schemas (required ones only, or every one).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectOperations, type RawOperation } from '../../../src/generator/openapi.ts';
import { child, createRefResolver, isJsonObject, targetOf, type Json, type Located, type RefResolver } from '../../../src/generator/refs.ts';
import { objectProperties, schemaFacts, valueTypeOf } from '../../../src/generator/schema.ts';

export const DATAFACTORY_SPEC = 'datafactory/resource-manager/Microsoft.DataFactory/stable/2018-06-01/datafactory.json';

/** A call's values as they go on the wire: path, query and header values by wire name, and the body. */
export interface WireInput {
  readonly params: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

export type Variant = 'example' | 'required' | 'all';

export interface SpecOperation {
  readonly operationId: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly pageable: boolean;
  readonly raw: RawOperation;
}

export interface Spec {
  readonly operations: readonly SpecOperation[];
  /** The values of one call of `operation`; undefined for `example` when its file is not among the specs. */
  input(operation: SpecOperation, variant: Variant): WireInput | undefined;
}

export function loadSpec(specsRoot: string): Spec {
  const documents = new Map<string, unknown>();
  const load = (file: string): unknown => {
    if (!documents.has(file)) {
      const path = join(specsRoot, file);
      documents.set(file, existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);
    }
    return documents.get(file);
  };
  const rootDoc = load(DATAFACTORY_SPEC);
  const refs = createRefResolver({ rootFile: DATAFACTORY_SPEC, rootDoc, loadDocument: load });
  const raws = collectOperations({ node: rootDoc as Json, file: DATAFACTORY_SPEC, pointer: '' }, refs, []);
  const operations = raws.map((raw) => ({
    operationId: raw.operationId,
    httpMethod: raw.httpMethod,
    path: raw.path,
    pageable: raw.operation.node['x-ms-pageable'] !== undefined,
    raw,
  }));
  const samples = new Samples(refs, load);
  return {
    operations,
    input: (operation, variant) => (variant === 'example' ? exampleInput(operation.raw, load) : samples.input(operation.raw, variant === 'all')),
  };
}

function exampleInput(raw: RawOperation, load: (file: string) => unknown): WireInput | undefined {
  const examples = raw.operation.node['x-ms-examples'];
  const first = isJsonObject(examples) ? Object.values(examples).find(isJsonObject) : undefined;
  if (!first || typeof first.$ref !== 'string') return undefined;
  const doc = load(targetOf(first.$ref, DATAFACTORY_SPEC).split('#')[0]);
  if (!isJsonObject(doc) || !isJsonObject(doc.parameters)) return undefined;
  const given = doc.parameters;
  const params: Record<string, unknown> = {};
  let body: unknown;
  for (const input of raw.inputs) {
    if ('body' in input) body = given[input.body.name];
    else if (given[String(input.param.node.name)] !== undefined) params[String(input.param.node.name)] = given[String(input.param.node.name)];
  }
  return body === undefined ? { params } : { params, body };
}

const MAX_DEPTH = 6;
const DATE_TIME = '2026-11-01T00:00:00.000Z';

/** Made-up values that satisfy the spec's rules (pattern, length, enum, format, required properties). */
class Samples {
  private readonly refs: RefResolver;
  private readonly load: (file: string) => unknown;

  constructor(refs: RefResolver, load: (file: string) => unknown) {
    this.refs = refs;
    this.load = load;
  }

  input(raw: RawOperation, all: boolean): WireInput {
    const params: Record<string, unknown> = {};
    let body: unknown;
    for (const input of raw.inputs) {
      if ('body' in input) {
        if (all || input.body.required) body = this.value(input.body.schema, input.body.name, 0, all);
        continue;
      }
      const param = input.param;
      const name = String(param.node.name);
      const required = param.node.in === 'path' || param.node.required === true;
      if (name === 'api-version' || (!all && !required)) continue;
      // Header values are ASCII: only path and query values get characters that need encoding.
      params[name] = this.value(param, name, 0, all && param.node.in !== 'header');
    }
    return body === undefined ? { params } : { params, body };
  }

  /**
   * `all`: an object gets every writable property (the top level of a body; nested objects get
   * their required ones), and a string, where its rules allow, characters that need URL encoding.
   */
  private value(schema: Located, name: string, depth: number, all: boolean): unknown {
    const target = this.refs.deref(schema);
    if (!target) return {};
    const facts = schemaFacts(schema, this.refs);
    if (facts.enum && facts.enum.length > 0)
      return Array.isArray(target.node.enum) && typeof target.node.enum[0] === 'number' ? target.node.enum[0] : facts.enum[0];
    switch (valueTypeOf(target, this.refs)) {
      case 'string':
        return stringSample(name, facts, all);
      case 'integer':
        return facts.minimum !== undefined && facts.minimum > 1 ? facts.minimum : 1;
      case 'number':
        return 1.5;
      case 'boolean':
        return true;
      case 'array': {
        const items = child(target, 'items');
        return items && depth < MAX_DEPTH ? [this.value(items, name, depth + 1, false)] : [];
      }
      default:
        return this.object(target, depth, all);
    }
  }

  private object(target: Located, depth: number, all: boolean): unknown {
    const concrete = this.concreteType(target);
    const properties = objectProperties(concrete?.schema ?? target, this.refs).filter((property) => !schemaFacts(property.schema, this.refs).readOnly);
    const result: Record<string, unknown> = {};
    if (properties.length === 0) {
      const free = target.node.additionalProperties;
      return all && depth === 0 && free !== undefined && free !== false ? { exampleKey: 'exampleValue' } : {};
    }
    for (const property of properties) {
      if (!all && !property.required) continue;
      if (depth >= MAX_DEPTH) continue;
      result[property.name] = this.value(property.schema, property.name, depth + 1, false);
    }
    // A nested object with no required property still gets one: the SDK leaves out an empty
    // flattened object (x-ms-client-flatten), so `{}` would not reach the wire.
    const scalar = properties.find((property) => ['string', 'integer', 'number', 'boolean'].includes(valueTypeOf(this.refs.deref(property.schema), this.refs)));
    const first = scalar ?? properties[0];
    if (depth > 0 && depth < MAX_DEPTH && Object.keys(result).length === 0) result[first.name] = this.value(first.schema, first.name, depth + 1, false);
    if (concrete) result[concrete.discriminator] = concrete.value;
    return result;
  }

  /** A polymorphic schema (`discriminator`) stands for its first subtype in the same file. */
  private concreteType(base: Located): { schema: Located; discriminator: string; value: string } | undefined {
    const discriminator = base.node.discriminator;
    if (typeof discriminator !== 'string') return undefined;
    const doc = this.load(base.file);
    const definitions = isJsonObject(doc) && isJsonObject(doc.definitions) ? doc.definitions : {};
    const baseKey = `${base.file}#${base.pointer}`;
    for (const [name, definition] of Object.entries(definitions)) {
      if (!isJsonObject(definition) || !Array.isArray(definition.allOf)) continue;
      const extendsBase = definition.allOf.some(
        (member) => isJsonObject(member) && typeof member.$ref === 'string' && targetOf(member.$ref, base.file) === baseKey,
      );
      if (!extendsBase) continue;
      const value = typeof definition['x-ms-discriminator-value'] === 'string' ? definition['x-ms-discriminator-value'] : name;
      return { schema: { node: definition, file: base.file, pointer: `/definitions/${name}` }, discriminator, value };
    }
    return undefined;
  }
}

/** A string that satisfies the param's rules; with `fancy`, one that needs URL encoding where the rules allow it. */
function stringSample(name: string, facts: ReturnType<typeof schemaFacts>, fancy: boolean): string {
  const capital = name.charAt(0).toUpperCase() + name.slice(1).replace(/[^A-Za-z0-9]/g, '');
  const byFormat: Record<string, string> = {
    'date-time': DATE_TIME,
    date: '2026-11-01',
    uuid: '11111111-2222-4333-8444-555555555555',
    uri: 'https://example.com/path',
    duration: 'PT1H',
    byte: 'AAAA',
  };
  if (facts.format && byFormat[facts.format]) return byFormat[facts.format];
  if (name === 'subscriptionId') return '12345678-1234-1234-1234-12345678abcd';
  if (name === 'runId') return '2f7fdb90-5df1-4b8e-ac2f-064cfa58202b';
  const candidates = [...(fancy ? [`example ${capital} é`] : []), `example${capital}`, 'example', 'a'.repeat(Math.max(facts.minLength ?? 1, 1))];
  const fits = (text: string) =>
    (facts.pattern === undefined || new RegExp(facts.pattern).test(text)) &&
    (facts.minLength === undefined || text.length >= facts.minLength) &&
    (facts.maxLength === undefined || text.length <= facts.maxLength);
  const found = candidates.find(fits);
  if (found === undefined) throw new Error(`no sample string for ${name} fits ${facts.pattern}`);
  return found;
}

export function specsRootOf(shared: string): string {
  return join(shared, 'specs/azure');
}

export function specPresent(shared: string): boolean {
  return existsSync(join(specsRootOf(shared), DATAFACTORY_SPEC));
}
