// Renders registry objects as YAML in the layout of providers/README.md: fixed key order,
// short lists in flow style, no anchors, no line folding. Same input → same bytes.
import { Document, isScalar, isSeq, visit } from 'yaml';
import type { FieldSpec, MethodSpec, ParamSpec, ProviderSpec, ResourceSpec, ResponseSpec, ServiceSpec } from '../registry/types.ts';
import { constantSet } from '../util/caches.ts';

const FLOW_LISTS = constantSet(['statusCodes', 'aliases', 'enum', 'columns']);
// Strings a YAML 1.1 reader would take for a date.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

const SERVICE_KEYS = ['name', 'provider', 'title', 'description', 'server', 'audience', 'resources'];
const RESOURCE_KEYS = ['title', 'description', 'methods'];
const METHOD_KEYS = [
  'operationId',
  'description',
  'sqlVerb',
  'httpMethod',
  'path',
  'longRunning',
  'finalStateVia',
  'pagination',
  'filterPushdown',
  'timeWindow',
  'requestBody',
  'params',
  'response',
];
/** A param's keys, in the order a registry document writes them. */
export const PARAM_KEYS = [
  'name',
  'wireName',
  'in',
  'required',
  'type',
  'description',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'enum',
  'format',
  'default',
  'defaultRelativeTime',
  'aliases',
  'skipUrlEncoding',
  'emptyIsValue',
];
const RESPONSE_KEYS = ['statusCodes', 'itemsPath', 'fields'];
const FIELD_KEYS = ['name', 'type', 'format', 'description'];

export function serviceYaml(service: ServiceSpec, header: string): string {
  const resources = Object.fromEntries(Object.entries(service.resources).map(([name, resource]) => [name, resourceData(resource)]));
  return render({ ...ordered(service, SERVICE_KEYS, ['id']), resources }, header);
}

export function providerYaml(provider: ProviderSpec, header: string): string {
  const services = Object.fromEntries(
    Object.entries(provider.services).map(([name, entry]) => [name, ordered(entry, ['title', 'description', 'file'], ['name'])]),
  );
  return render({ ...ordered(provider, ['name', 'title', 'description', 'services']), services }, header);
}

function resourceData(resource: ResourceSpec): Record<string, unknown> {
  const methods = Object.fromEntries(Object.entries(resource.methods).map(([name, method]) => [name, methodData(method)]));
  return { ...ordered(resource, RESOURCE_KEYS, ['id', 'name']), methods };
}

function methodData(method: MethodSpec): Record<string, unknown> {
  return {
    ...ordered(method, METHOD_KEYS, ['name']),
    filterPushdown: method.filterPushdown && ordered(method.filterPushdown, ['bodyField', 'columns']),
    timeWindow: method.timeWindow && ordered(method.timeWindow, ['after', 'before', 'columns']),
    params: method.params.map((param: ParamSpec) => ordered(param, PARAM_KEYS)),
    response: responseData(method.response),
  };
}

function responseData(response: ResponseSpec): Record<string, unknown> {
  return {
    ...ordered(response, RESPONSE_KEYS),
    fields: response.fields.map((field: FieldSpec) => ordered(field, FIELD_KEYS)),
  };
}

/** The object's keys in `keys` order; `dropped` keys are left out; any other key is a bug here. */
function ordered(value: object, keys: readonly string[], dropped: readonly string[] = []): Record<string, unknown> {
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !keys.includes(key) && !dropped.includes(key));
  if (unknown.length > 0) throw new Error(`yaml-out: no place for key(s) ${unknown.join(', ')}`);
  return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]));
}

function render(data: Record<string, unknown>, header: string): string {
  const doc = new Document(data, { aliasDuplicateObjects: false });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FLOW_LISTS.has(String(pair.key.value)) && isSeq(pair.value)) pair.value.flow = true;
    },
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && DATE_LIKE.test(scalar.value)) scalar.type = 'QUOTE_SINGLE';
    },
  });
  const comment = header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${comment}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false, singleQuote: true })}`;
}
