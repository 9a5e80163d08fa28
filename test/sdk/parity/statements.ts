// The skyql statement that makes the same call as an SDK method: the SQL verb the registry maps
// the method to, its params as columns, WHERE conditions or @params, with the wire values.

import type { MethodSpec, ParamSpec, ResourceSpec } from '../../../src/registry/types.ts';
import type { WireInput } from './spec-values.ts';

export interface Statement {
  readonly sql: string;
  /** How the statement reaches the method: its own SQL verb, or EXEC when the verb's form cannot say it. */
  readonly form: 'select' | 'insert' | 'replace' | 'update' | 'delete' | 'exec';
  /** Why EXEC stands in for the method's SQL verb. */
  readonly note?: string;
}

interface Named {
  readonly param: ParamSpec;
  readonly value: unknown;
}

/** The params the wire values give, or the body keys no param takes (only `@@json` can send those). */
export function namedValues(method: MethodSpec, input: WireInput): { named: Named[]; unmatched: Record<string, unknown> } {
  const named: Named[] = [];
  for (const [name, value] of Object.entries(input.params)) {
    if (name === 'api-version') continue;
    const param = method.params.find((candidate) => candidate.name === name && ['path', 'query', 'header'].includes(candidate.in));
    if (!param) throw new Error(`${method.operationId}: the registry has no param ${name}`);
    named.push({ param, value });
  }
  const unmatched: Record<string, unknown> = {};
  if (input.body === undefined) return { named, unmatched };
  const payload = method.params.find((param) => param.in === 'payload');
  if (payload) return { named: [...named, { param: payload, value: input.body }], unmatched };
  for (const [key, value] of Object.entries(input.body as Record<string, unknown>)) {
    const param = method.params.find((candidate) => candidate.in === 'body' && (candidate.wireName ?? candidate.name) === key);
    if (param) named.push({ param, value });
    else unmatched[key] = value;
  }
  return { named, unmatched };
}

/** The statements that make the call: the verb's own form(s), or EXEC when that form cannot. */
export function statementsFor(resource: ResourceSpec, method: MethodSpec, input: WireInput): Statement[] {
  const { named, unmatched } = namedValues(method, input);
  const hasUnmatched = Object.keys(unmatched).length > 0;
  const exec = (note?: string): Statement => ({ sql: execSql(resource, method, named, hasUnmatched ? unmatched : undefined), form: 'exec', note });
  if (hasUnmatched) return [exec(`body properties no param takes: ${Object.keys(unmatched).join(', ')} (sent with @@json)`)];
  const where = (list: readonly Named[]) => list.map((item) => `${identifier(item.param.name)} = ${literal(item.value)}`).join(' AND ');
  const keys = named.filter((item) => item.param.in === 'path');
  const rest = named.filter((item) => item.param.in !== 'path');
  switch (method.sqlVerb) {
    case 'select':
      return [{ sql: `SELECT * FROM ${resource.id}${named.length > 0 ? ` WHERE ${where(named)}` : ''}`, form: 'select' }];
    case 'insert':
    case 'replace': {
      const columns = named.map((item) => identifier(item.param.name)).join(', ');
      const values = named.map((item) => literal(item.value)).join(', ');
      return [{ sql: `${method.sqlVerb.toUpperCase()} INTO ${resource.id} (${columns}) VALUES (${values})`, form: method.sqlVerb }];
    }
    case 'update': {
      if (rest.length === 0) return [exec('UPDATE needs a SET')];
      const set = rest.map((item) => `${identifier(item.param.name)} = ${literal(item.value)}`).join(', ');
      return [{ sql: `UPDATE ${resource.id} SET ${set} WHERE ${where(keys)}`, form: 'update' }];
    }
    case 'delete':
      return [{ sql: `DELETE FROM ${resource.id} WHERE ${where(named)}`, form: 'delete' }];
    case 'exec':
      return [exec()];
  }
}

function execSql(resource: ResourceSpec, method: MethodSpec, named: readonly Named[], json: object | undefined): string {
  const args = named.map((item) => `@${paramName(item.param.name)} = ${literal(item.value)}`);
  if (json) args.push(`@@json = ${literal(json)}`);
  return `EXEC ${resource.id}.${method.name}${args.length > 0 ? ` ${args.join(', ')}` : ''}`;
}

function identifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name}"`;
}

function paramName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name}"`;
}

export function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}
