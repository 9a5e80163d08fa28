// Ready-to-fill statements for a resource's methods, in the style of StackQL's docs
// (seed 000's INSERT example): one item per line, '{{ name }}' placeholders. Each is a statement
// skyql plans (test/unit/output/docs-examples.test.ts): INSERT and REPLACE take a column list and
// a SELECT of values, UPDATE takes SET … WHERE; names that are SQL keywords are quoted.

import type { MethodSpec, ParamSpec, ResourceSpec } from '../registry/types.ts';
import { sqlName } from '../sql/identifiers.ts';
import { isUserRequired, orderedParams } from './param-order.ts';

const placeholder = (param: ParamSpec) => `'{{ ${param.name} }}'`;

function templateParams(method: MethodSpec, requiredOnly: boolean): ParamSpec[] {
  return orderedParams(method).filter((param) => !requiredOnly || isUserRequired(param));
}

/** `extended`: each value says in a comment whether it is required, its type and what it is. */
export function insertTemplate(resource: ResourceSpec, method: MethodSpec, requiredOnly = false, extended = false): string {
  return rowTemplate('INSERT', resource, method, requiredOnly, extended);
}

/** REPLACE INTO … (columns) SELECT …: a replace method takes its values as an insert does. */
export function replaceTemplate(resource: ResourceSpec, method: MethodSpec): string {
  return rowTemplate('REPLACE', resource, method, false);
}

function rowTemplate(keyword: 'INSERT' | 'REPLACE', resource: ResourceSpec, method: MethodSpec, requiredOnly: boolean, extended = false): string {
  const params = templateParams(method, requiredOnly);
  const fields = method.response.fields.map((field) => sqlName(field.name));
  const values = params.map((param, i) => `${placeholder(param)}${i < params.length - 1 ? ',' : ''}${extended ? ` -- ${paramNote(param)}` : ''}`);
  return [
    `${keyword} INTO ${resource.id} (`,
    params.map((param) => sqlName(param.name)).join(',\n'),
    ')',
    'SELECT ',
    values.join('\n'),
    ...(fields.length > 0 ? ['RETURNING', fields.join(',\n')] : []),
    ';',
  ].join('\n');
}

export function selectTemplate(resource: ResourceSpec, method: MethodSpec): string {
  const fields = method.response.fields.map((field) => sqlName(field.name));
  return ['SELECT', fields.join(',\n'), `FROM ${resource.id}`, whereClause(method), ';'].filter(Boolean).join('\n');
}

export function execTemplate(resource: ResourceSpec, method: MethodSpec): string {
  const params = templateParams(method, true).map((param) => `@${param.name}=${placeholder(param)}`);
  return `EXEC ${resource.id}.${method.name} \n${params.join(', \n')}\n;`;
}

export function deleteTemplate(resource: ResourceSpec, method: MethodSpec): string {
  return [`DELETE FROM ${resource.id}`, whereClause(method), ';'].filter(Boolean).join('\n');
}

export function updateTemplate(resource: ResourceSpec, method: MethodSpec): string {
  const body = method.params.filter((param) => param.in === 'body' || param.in === 'payload');
  const assignments = body.map((param) => `${sqlName(param.name)} = ${placeholder(param)}`);
  return [`UPDATE ${resource.id}`, 'SET ', assignments.join(',\n'), whereClause(method, (param) => param.in !== 'body' && param.in !== 'payload'), ';']
    .filter(Boolean)
    .join('\n');
}

/** `required, string: The name of the factory.` on one line (a description's first sentence, at most 120 characters). */
function paramNote(param: ParamSpec): string {
  const description = (param.description ?? '').replace(/\s+/g, ' ').trim();
  const short = description.length > 120 ? `${description.slice(0, 117)}…` : description;
  return `${isUserRequired(param) ? 'required' : 'optional'}, ${param.type}${short ? `: ${short}` : ''}`;
}

function whereClause(method: MethodSpec, include: (param: ParamSpec) => boolean = () => true): string {
  const required = method.params.filter((param) => isUserRequired(param) && include(param));
  if (required.length === 0) return '';
  return `WHERE ${required.map((param) => `${sqlName(param.name)} = ${placeholder(param)}`).join('\nAND ')}`;
}
