// Manifests: YAML templates listing the params of a resource's insert (or other verb) method,
// for people writing INSERT statements. Also used by the CLI.
import { stringify } from 'yaml';
import { EngineError } from '../errors.ts';
import type { MethodSpec, ResourceSpec, SqlVerb } from '../registry/types.ts';
import { callsMethod } from '../registry/types.ts';
import { orderedParams } from '../registry/param-order.ts';

const HEADER = '# Description fields are for documentation purposes\n';

/**
 * One list entry per `verb` method of the resource (a comment names the method when there are
 * several). Props: required params (host, then path in path order, then the rest in spec order),
 * then optional ones (`api-version` first, then spec order).
 */
export function renderManifest(resource: ResourceSpec, verb: SqlVerb = 'insert'): string {
  const methods = Object.values(resource.methods).filter((method) => callsMethod(method, verb));
  if (methods.length === 0) {
    throw new EngineError('PLAN_VERB_UNSUPPORTED', `${verb.toUpperCase()} not supported for this resource (${resource.id}), so it has no manifest`, {
      hint: `SHOW METHODS IN ${resource.id};`,
    });
  }
  const entries = methods.map((method) => {
    const comment = methods.length > 1 ? `# ${method.name} (${method.operationId})\n` : '';
    return comment + manifestEntry(resource.name, method);
  });
  return HEADER + entries.join('');
}

function manifestEntry(resourceName: string, method: MethodSpec): string {
  const props = orderedParams(method).map((param) => {
    const description = param.required
      ? `Required parameter for the ${resourceName} resource.`
      : (param.description ?? `Optional parameter for the ${resourceName} resource.`);
    return [`    - name: ${scalar(param.name)}`, `      value: ${param.type}`, `      description: ${scalar(description.replace(/\s+/g, ' '))}`].join('\n');
  });
  return `- name: ${scalar(resourceName)}\n  props:\n${props.join('\n')}\n`;
}

function scalar(text: string): string {
  return stringify(text, { lineWidth: 0 }).trimEnd();
}
