// `skyql docs <resource>`: a Markdown page with the sections of StackQL's resource pages.

import type { FieldSpec, MethodSpec, ParamSpec, ResourceSpec, SqlVerb } from '../registry/types.ts';
import { callsMethod, verbsOf } from '../registry/types.ts';
import { selectFields } from '../plan/show-describe.ts';
import { isUserRequired, optionalParamNames, requiredParamNames } from '../plan/params.ts';
import { renderManifest } from './manifest.ts';
import { deleteTemplate, execTemplate, insertTemplate, replaceTemplate, selectTemplate, updateTemplate } from '../registry/statement-templates.ts';

export function renderDocs(resource: ResourceSpec): string {
  return [
    `# ${resource.name}`,
    '',
    resource.description ? `${resource.description}\n` : '',
    overview(resource),
    fieldsSection(resource),
    methodsSection(resource),
    parametersSection(resource),
    ...examples(resource),
  ].join('\n');
}

function overview(resource: ResourceSpec): string {
  return [
    '## Overview',
    '',
    '| | |',
    '|---|---|',
    `| **Name** | \`${resource.name}\` |`,
    '| **Type** | Resource |',
    `| **Id** | \`${resource.id}\` |`,
    '',
  ].join('\n');
}

function fieldsSection(resource: ResourceSpec): string {
  const fields = selectFields(resource);
  const body = fields
    ? ['The following fields are returned by `SELECT` queries:', '', table(['Name', 'Datatype', 'Description'], fields.map(fieldCells))]
    : ['`SELECT` not supported for this resource, use `SHOW METHODS` to view available operations for the resource.'];
  return ['## Fields', '', ...body, ''].join('\n');
}

function fieldCells(field: FieldSpec): string[] {
  return [`\`${field.name}\``, `\`${field.type}\``, field.description ?? ''];
}

function methodsSection(resource: ResourceSpec): string {
  const rows = Object.values(resource.methods).map((method) => [
    `\`${method.name}\``,
    `\`${verbsOf(method).join(', ')}\``,
    codeList(requiredParamNames(method)),
    codeList(optionalParamNames(method)),
    method.description ?? '',
  ]);
  return [
    '## Methods',
    '',
    'The following methods are available for this resource:',
    '',
    table(['Name', 'Accessible by', 'Required Params', 'Optional Params', 'Description'], rows),
    '',
  ].join('\n');
}

function parametersSection(resource: ResourceSpec): string {
  const params = new Map<string, ParamSpec>();
  for (const param of Object.values(resource.methods).flatMap((method) => method.params)) if (!params.has(param.name)) params.set(param.name, param);
  const sorted = [...params.values()].sort(byRequiredThenName);
  const rows = sorted.map((param) => [`\`${param.name}\``, `\`${param.type}\``, param.description ?? '']);
  return [
    '## Parameters',
    '',
    'Parameters can be passed in the `WHERE` clause of a query. Check the [Methods](#methods) section to see which parameters are required or optional for each operation.',
    '',
    table(['Name', 'Datatype', 'Description'], rows),
    '',
  ].join('\n');
}

function byRequiredThenName(a: ParamSpec, b: ParamSpec): number {
  const rank = (param: ParamSpec) => (isUserRequired(param) ? 0 : param.name === 'api-version' ? 1 : 2);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

const EXAMPLES: readonly [SqlVerb, string, (resource: ResourceSpec, method: MethodSpec) => string][] = [
  ['select', 'SELECT', selectTemplate],
  ['insert', 'INSERT', (resource, method) => insertTemplate(resource, method)],
  ['update', 'UPDATE', updateTemplate],
  ['replace', 'REPLACE', replaceTemplate],
  ['delete', 'DELETE', deleteTemplate],
  ['exec', 'Lifecycle Methods', execTemplate],
];

function examples(resource: ResourceSpec): string[] {
  return EXAMPLES.flatMap(([verb, title, render]) => {
    const methods = Object.values(resource.methods).filter((method) => callsMethod(method, verb));
    if (methods.length === 0) return [];
    const blocks = methods.map((method) => [`### ${method.name}`, '', method.description ?? '', '', '```sql', render(resource, method), '```', ''].join('\n'));
    const manifest = verb === 'insert' ? ['### Manifest', '', '```yaml', renderManifest(resource).trimEnd(), '```', ''].join('\n') : '';
    return [`## ${verb === 'exec' ? title : `\`${title}\` examples`}`, '', ...blocks, manifest];
  });
}

function codeList(names: readonly string[]): string {
  return names.map((name) => `\`${name}\``).join(', ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}
