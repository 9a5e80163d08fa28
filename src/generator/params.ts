// A method's params: host, path, query and header params as declared, plus the request body as
// one `payload` param (a map-like schema) or one `body` param per top-level property.
import type { ParamLocation, ParamSpec } from '../registry/types.ts';
import { child } from './refs.ts';
import type { Located, RefResolver } from './refs.ts';
import type { RawBody, RawOperation } from './openapi.ts';
import { objectProperties, schemaFacts, valueTypeOf, withoutUndefined } from './schema.ts';
import type { SchemaFacts } from './schema.ts';
import { snakeCase } from './words.ts';

export interface ParamContext {
  readonly refs: RefResolver;
  /** The document's info.version: the default of `api-version`. */
  readonly apiVersion: string;
  readonly openApi3: boolean;
  /** Name collisions resolved while building params, for the generation report. */
  readonly notes: string[];
}

interface DraftParam {
  spec: ParamSpec;
  readonly clientName?: string;
}

export function buildParams(operation: RawOperation, hostParams: readonly Located[], context: ParamContext): ParamSpec[] {
  const drafts = [
    ...hostParams.map((param) => declaredParam(param, 'host', context)),
    ...operation.inputs.flatMap((input) =>
      'body' in input ? bodyParams(input.body, context) : [declaredParam(input.param, input.param.node.in as ParamLocation, context)],
    ),
  ];
  renameCollidingBodyParams(drafts, operation.operationId, context.notes);
  return withAliases(drafts, operation.operationId, context.notes);
}

function declaredParam(param: Located, location: ParamLocation, context: ParamContext): DraftParam {
  const facts = context.openApi3 ? openApi3Facts(param, context.refs) : schemaFacts(param, context.refs);
  const name = String(param.node.name);
  const isApiVersion = name === 'api-version' && location === 'query';
  const spec: ParamSpec = withoutUndefined({
    name,
    in: location,
    required: location === 'path' || (!isApiVersion && param.node.required === true),
    ...valueFields(facts),
    default: isApiVersion ? context.apiVersion : facts.default,
    skipUrlEncoding: param.node['x-ms-skip-url-encoding'] === true ? true : undefined,
    emptyIsValue: location !== 'path' && location !== 'host' && admitsEmpty(facts) ? true : undefined,
  });
  return { spec, clientName: facts.clientName };
}

function openApi3Facts(param: Located, refs: RefResolver): SchemaFacts {
  const schema = child(param, 'schema');
  const facts = schema ? schemaFacts(schema, refs) : { type: 'string' as const, readOnly: false };
  const description = typeof param.node.description === 'string' ? param.node.description.trim() : facts.description;
  return { ...facts, description };
}

function bodyParams(body: RawBody, context: ParamContext): DraftParam[] {
  const properties = objectProperties(body.schema, context.refs);
  if (properties.length === 0) return [payloadParam(body, context.refs)];
  return properties.flatMap((property) => {
    const facts = schemaFacts(property.schema, context.refs);
    if (facts.readOnly) return [];
    const spec: ParamSpec = withoutUndefined({
      name: property.name,
      in: 'body',
      required: body.required && property.required,
      ...valueFields(facts),
      emptyIsValue: admitsEmpty(facts) ? true : undefined,
    });
    return [{ spec, clientName: facts.clientName }];
  });
}

function payloadParam(body: RawBody, refs: RefResolver): DraftParam {
  const target = refs.deref(body.schema);
  const schemaDescription = target && typeof target.node.description === 'string' ? target.node.description : undefined;
  const spec: ParamSpec = withoutUndefined({
    name: body.name,
    in: 'payload',
    required: body.required,
    type: valueTypeOf(target, refs),
    description: body.description ?? schemaDescription,
  });
  return { spec };
}

function valueFields(facts: SchemaFacts): Omit<ParamSpec, 'name' | 'in' | 'required'> {
  const { type, description, pattern, minLength, maxLength, minimum, maximum, format } = facts;
  return { type, description, pattern, minLength, maxLength, minimum, maximum, enum: facts.enum, format };
}

/** The schema admits '' explicitly: its enum lists '', or its pattern matches '' (and no minLength forbids it). */
export function admitsEmpty(facts: SchemaFacts): boolean {
  if (facts.enum?.includes('')) return true;
  if (facts.pattern === undefined || (facts.minLength ?? 0) > 0) return false;
  try {
    return new RegExp(facts.pattern).test('');
  } catch {
    return false;
  }
}

/**
 * A body property named like a path/query/header param (RemoveLinks' `factoryName`) gets a
 * different SQL name — its x-ms-client-name, else `body<Name>` — and keeps its wire name in `wireName`.
 */
function renameCollidingBodyParams(drafts: DraftParam[], operationId: string, notes: string[]): void {
  const declared = new Set(drafts.filter((draft) => draft.spec.in !== 'body').map((draft) => draft.spec.name));
  const taken = new Set(drafts.map((draft) => draft.spec.name));
  for (const draft of drafts) {
    const wireName = draft.spec.name;
    if (draft.spec.in !== 'body' || !declared.has(wireName)) continue;
    const capitalized = `body${wireName.charAt(0).toUpperCase()}${wireName.slice(1)}`;
    const name = draft.clientName && !taken.has(draft.clientName) ? draft.clientName : capitalized;
    taken.add(name);
    draft.spec = { ...draft.spec, name, wireName };
    notes.push(`${operationId}: body property '${wireName}' collides with a param of the same name; named '${name}' (wireName: ${wireName})`);
  }
}

/** Adds snake_case (and x-ms-client-name) aliases that no earlier param already answers to. */
function withAliases(drafts: readonly DraftParam[], operationId: string, notes: string[]): ParamSpec[] {
  const taken = new Set(drafts.map((draft) => draft.spec.name));
  return drafts.map((draft) => {
    const { name } = draft.spec;
    const candidates = [snakeCase(name), draft.clientName, draft.clientName && snakeCase(draft.clientName)];
    const aliases: string[] = [];
    for (const alias of candidates) {
      if (!alias || alias === name || aliases.includes(alias)) continue;
      if (taken.has(alias)) {
        notes.push(`${operationId}: alias '${alias}' of '${name}' is already a param name or alias; dropped`);
        continue;
      }
      taken.add(alias);
      aliases.push(alias);
    }
    return aliases.length > 0 ? { ...draft.spec, aliases } : draft.spec;
  });
}
