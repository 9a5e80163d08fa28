/*
 * The naming rule: how an operationId becomes `resource.method`.
 *
 *   operationId = [Group "_"] Action          no "_" → Group is empty (checkResourceName)
 *   Action      = Verb Object Qualifier
 *     Verb      = the first word of Action, or a whole compound verb (CreateOrUpdate,
 *                 CreateOrReplace, CheckExistence)
 *     Qualifier = the remaining words from the first preposition on
 *                 (By, At, For, From, To, In, On, With)
 *     Object    = the words in between, minus a leading repeat of Group's words, compared
 *                 singular/plural-insensitively (Pipeline_CreatePipelineRun → Object "Run")
 *   resource    = snake_case(Group, last word pluralised)
 *                 + "_" + snake_case(Object, last word pluralised)      when Object is not empty
 *   method      = snake_case(Verb Qualifier)
 *
 *   Pipelines_CreateRun                      → pipelines_runs.create
 *   Pipeline_CreatePipelineRun               → pipelines_runs.create
 *   PipelineRuns_QueryByFactory              → pipeline_runs.query_by_factory
 *   PipelineRun_QueryPipelineRunsByWorkspace → pipeline_runs.query_by_workspace
 *   Factories_ListByResourceGroup            → factories.list_by_resource_group
 *   checkResourceName                        → resource_names.check
 *
 * Names that this rule gets wrong are exceptions in the provider's overrides.yaml, never code.
 */
import { pluralize, sameNoun, snakeCase, splitWords } from './words.ts';
import { constantSet } from '../util/caches.ts';

export interface DerivedName {
  readonly resource: string;
  readonly method: string;
  /** The Verb, snake_case (`create`, `create_or_update`, `query`). */
  readonly verb: string;
}

const COMPOUND_VERBS = [
  ['create', 'or', 'update'],
  ['create', 'or', 'replace'],
  ['check', 'existence'],
];
const PREPOSITIONS = constantSet(['by', 'at', 'for', 'from', 'to', 'in', 'on', 'with']);

export function deriveName(operationId: string): DerivedName {
  const separator = operationId.indexOf('_');
  const group = separator < 0 ? [] : splitWords(operationId.slice(0, separator));
  const action = splitWords(separator < 0 ? operationId : operationId.slice(separator + 1));
  const verbLength = leadingVerbLength(action);
  const qualifierStart = firstPreposition(action, verbLength);
  const verb = action.slice(0, verbLength);
  const object = dropLeadingGroup(action.slice(verbLength, qualifierStart), group);
  const qualifier = action.slice(qualifierStart);
  return {
    resource: resourceName(group, object, verb),
    method: snakeCase([...verb, ...qualifier].join(' ')),
    verb: snakeCase(verb.join(' ')),
  };
}

/** The method name of the `replace` twin of a PUT method. */
export function replaceMethodName(insertMethod: string): string {
  return insertMethod.startsWith('create_or_update') ? `replace${insertMethod.slice('create_or_update'.length)}` : `replace_${insertMethod}`;
}

function leadingVerbLength(action: readonly string[]): number {
  const lower = action.map((word) => word.toLowerCase());
  const compound = COMPOUND_VERBS.find((words) => words.every((word, i) => lower[i] === word));
  return compound ? compound.length : Math.min(1, action.length);
}

function firstPreposition(action: readonly string[], from: number): number {
  for (let i = from; i < action.length; i++) {
    if (PREPOSITIONS.has(action[i].toLowerCase())) return i;
  }
  return action.length;
}

function dropLeadingGroup(object: readonly string[], group: readonly string[]): string[] {
  const repeatsGroup = group.length > 0 && object.length >= group.length && group.every((word, i) => sameNoun(word, object[i]));
  return repeatsGroup ? object.slice(group.length) : [...object];
}

function resourceName(group: readonly string[], object: readonly string[], verb: readonly string[]): string {
  const parts = [group, object].filter((words) => words.length > 0).map(pluralPhrase);
  if (parts.length === 0) parts.push(pluralPhrase(verb));
  return parts.join('_');
}

function pluralPhrase(words: readonly string[]): string {
  const last = words.length - 1;
  return snakeCase(words.map((word, i) => (i === last ? pluralize(word) : word)).join(' '));
}
