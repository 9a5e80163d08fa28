// The front end's robustness property, reusable by the test suite (test/unit/fuzz.test.ts) and
// by `npm run fuzz` (scripts/fuzz.ts):
//
//   engine.plan(sql, { vars }) returns, or throws an EngineError whose code is a key of
//   ERROR_CODES other than INTERNAL_INVARIANT; never another exception, never a hang.
//
// plan() parses and plans without sending anything, so the property needs no network. Inputs
// come from three arbitraries: random strings, token soups of SQL keywords, registry names,
// literals, punctuation, placeholders and hints, and mutations of valid seed statements
// (taken from README.md and test/golden/cases). Plain fast-check and the engine only: no vitest.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { createEngine, EngineError, ERROR_CODES, type Engine, type EngineOptions } from '../../src/index.ts';

export type Vars = Readonly<Record<string, string | number | boolean | null>>;

export interface FrontEndCase {
  readonly sql: string;
  readonly vars: Vars;
  /** Index into ENGINE_CONFIGS: the endpoints the plan is made with. */
  readonly config: number;
}

const NOW = new Date('2026-11-22T12:00:00Z');

/** Endpoint settings that change what the planner does (URL building, the loopback check). */
export const ENGINE_CONFIGS: readonly EngineOptions[] = [
  { now: () => NOW },
  { now: () => NOW, endpoints: { azure: 'http://127.0.0.1:9', 'azure.synapse_artifacts': 'http://127.0.0.1:9' } },
  { now: () => NOW, endpoints: { azure: 'https://management.usgovcloudapi.net' } },
];

/** A plan that takes longer than this counts as a hang (it is milliseconds when healthy). */
export const SLOW_PLAN_MS = 2_000;

export class PropertyViolation extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PropertyViolation';
  }
}

/** One engine per config, created on first use and warmed up (parser and registry loaded). */
export function frontEndEngines(): readonly Engine[] {
  return ENGINE_CONFIGS.map((options) => {
    const engine = createEngine(options);
    engine.plan(SEEDS[0].sql, { vars: SEEDS[0].vars });
    return engine;
  });
}

/** The first stack frame inside src/, to say where an unexpected exception came from. */
export function topSrcFrame(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return (
    stack
      .split('\n')
      .find((line) => /[/\\]src[/\\]/.test(line))
      ?.trim() ?? '(no frame in src/)'
  );
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.constructor?.name ?? 'Error'}: ${error.message}`;
  return `${typeof error}: ${String(error)}`;
}

/** Checks the property for one input; throws a PropertyViolation saying what went wrong. */
export function checkFrontEnd(engines: readonly Engine[], input: FrontEndCase): void {
  const engine = engines[input.config % engines.length];
  const started = performance.now();
  try {
    engine.plan(input.sql, { vars: input.vars });
  } catch (error) {
    if (!(error instanceof EngineError)) {
      throw new PropertyViolation(`plan threw ${describeThrown(error)} instead of an EngineError, at ${topSrcFrame(error)}`, { cause: error });
    }
    if (!Object.hasOwn(ERROR_CODES, error.code)) {
      throw new PropertyViolation(`plan threw an EngineError with the unknown code ${JSON.stringify(error.code)}: ${error.message}`, { cause: error });
    }
    if (error.code === 'INTERNAL_INVARIANT') {
      const origin = error.cause ?? error;
      throw new PropertyViolation(`plan threw INTERNAL_INVARIANT: ${error.message}, at ${topSrcFrame(origin)}`, { cause: error });
    }
  }
  const elapsed = performance.now() - started;
  if (elapsed > SLOW_PLAN_MS) throw new PropertyViolation(`plan took ${Math.round(elapsed)} ms (limit ${SLOW_PLAN_MS} ms)`);
}

/** The property over any arbitrary of inputs. */
export function frontEndProperty(engines: readonly Engine[], arbitrary: fc.Arbitrary<FrontEndCase>): fc.IPropertyWithHooks<[FrontEndCase]> {
  return fc.property(arbitrary, (input) => {
    checkFrontEnd(engines, input);
  });
}

// ---- hangs: a plan in a worker thread, which can be stopped (a plan on this thread cannot) ----

interface WorkerVerdict {
  readonly ok: boolean;
  readonly message?: string;
}
const WORKER_FLAG = 'skyqlFrontEndWorker';

/**
 * Checks the property for one input in a fresh worker thread and stops it after `timeoutMs`
 * (counted from when the worker has loaded the engine): a hang becomes a PropertyViolation.
 */
export async function checkFrontEndInWorker(input: FrontEndCase, timeoutMs = SLOW_PLAN_MS): Promise<void> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { [WORKER_FLAG]: true } });
  try {
    const verdict = await new Promise<WorkerVerdict | 'hang'>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      worker.once('error', reject);
      worker.on('message', (message: 'ready' | WorkerVerdict) => {
        if (message === 'ready') {
          worker.postMessage(input);
          timer = setTimeout(() => resolve('hang'), timeoutMs);
        } else {
          clearTimeout(timer);
          resolve(message);
        }
      });
    });
    if (verdict === 'hang') throw new PropertyViolation(`plan did not finish within ${timeoutMs} ms (stopped)`);
    if (!verdict.ok) throw new PropertyViolation(verdict.message ?? 'property violated');
  } finally {
    await worker.terminate();
  }
}

// ---- seeds: valid statements (README.md and test/golden/cases), each with the vars it needs ----

const S = '00000000-0000-0000-0000-000000000001';
const SEED_VARS: Vars = {
  subscriptionId: S,
  resourceGroupName: 'my-rg',
  factoryName: 'my-factory',
  pipelineName: 'my-pipeline',
  'api-version': '',
  referencePipelineRunId: '',
  isRecovery: '',
  startActivityName: '',
  startFromFailure: '',
  sub: S,
};

export interface Seed {
  readonly name: string;
  readonly sql: string;
  readonly vars: Vars;
}

const seed = (name: string, sql: string, vars: Vars = {}): Seed => ({ name, sql, vars });

export const SEEDS: readonly Seed[] = [
  seed(
    'readme: INSERT … SELECT with placeholders',
    `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
SELECT '{{ subscriptionId }}', '{{ resourceGroupName }}', '{{ factoryName }}', '{{ pipelineName }}'
RETURNING runId;`,
    SEED_VARS,
  ),
  seed(
    'golden seed000: every optional column as a placeholder',
    `INSERT INTO azure.data_factory.pipelines_runs (
  subscriptionId, resourceGroupName, factoryName, pipelineName,
  api-version, referencePipelineRunId, isRecovery, startActivityName, startFromFailure
)
SELECT '{{ subscriptionId }}', '{{ resourceGroupName }}', '{{ factoryName }}', '{{ pipelineName }}',
       '{{ api-version }}', '{{ referencePipelineRunId }}', '{{ isRecovery }}', '{{ startActivityName }}', '{{ startFromFailure }}'
RETURNING runId;`,
    SEED_VARS,
  ),
  seed(
    'readme: INSERT … VALUES with a JSON body and NULL',
    `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName, parameters)
VALUES ('${S}', 'my-rg', 'my-factory', 'copy-blobs', '{"OutputBlobNameList":["exampleoutput.csv"]}'),
       ('${S}', 'my-rg', 'my-factory', 'nightly', NULL);`,
  ),
  seed(
    'readme: Synapse INSERT with the endpoint as a column',
    `INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName, parameters)
SELECT 'myworkspace.dev.azuresynapse.net', 'examplePipeline', '{"OutputBlobNameList":["exampleoutput.csv"]}'
RETURNING runId;`,
  ),
  seed(
    'golden seed002: Synapse VALUES RETURNING *',
    `INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName, referencePipelineRunId, isRecovery, startActivityName)
VALUES ('https://myworkspace.dev.azuresynapse.net', 'examplePipeline', '2f7fdb90-5df1-4b8e-ac2f-064cfa58202b', 'true', 'Copy data')
RETURNING *;`,
  ),
  seed(
    'readme: EXEC with commas',
    `EXEC azure.data_factory.pipeline_runs.cancel
  @subscriptionId='${S}', @resourceGroupName='my-rg', @factoryName='my-factory',
  @runId='16ac5348-ff82-4f95-a80d-638c1d47b721', @isRecursive=true;`,
  ),
  seed(
    'golden seed003: EXEC without commas, snake_case and @@json',
    `EXEC azure.data_factory.pipeline_runs.cancel
  @subscription_id='12345678-1234-1234-1234-12345678abc'
  @resource_group_name='exampleResourceGroup'
  @factoryName='exampleFactoryName'
  @runId='16ac5348-ff82-4f95-a80d-638c1d47b721'
  @@json='{"reason": "superseded"}';`,
  ),
  seed(
    'EXEC with a hint and a placeholder',
    `EXEC /*+ AWAIT */ azure.data_factory.integration_runtimes.start @subscriptionId = '{{ sub }}', @resourceGroupName = 'my-rg', @factoryName = 'my-factory', @integrationRuntimeName = 'ir-1'`,
    SEED_VARS,
  ),
  seed(
    'golden: SELECT columns of one pipeline run',
    `SELECT runId, status AS state, durationInMs FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '12345678-1234-1234-1234-12345678abc' AND resourceGroupName = 'myResourceGroup'
  AND factoryName = 'myFactoryName' AND runId = '2f7fdb90-5df1-4b8e-ac2f-064cfa58202b' AND status = 'Succeeded';`,
  ),
  seed(
    'golden: factory lifecycle script (INSERT, UPDATE, REPLACE, DELETE)',
    `INSERT INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location, tags)
VALUES ('${S}', 'rg-a', 'factory-new', 'westeurope', '{"env":"dev"}')
RETURNING name, location, tags;
UPDATE azure.data_factory.factories SET tags = '{"env":"prod"}'
WHERE subscriptionId = '${S}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-new'
RETURNING name, tags;
REPLACE INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location)
VALUES ('${S}', 'rg-a', 'factory-new', 'northeurope')
RETURNING name, location, tags;
DELETE FROM azure.data_factory.factories
WHERE subscriptionId = '${S}' AND resourceGroupName = 'rg-a' AND factoryName IN ('factory-new', 'factory-old');`,
  ),
  seed(
    'golden: INSERT … SELECT … FROM',
    `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName, parameters)
SELECT '${S}', 'rg-b', 'factory-b2', name, '{"reason":"backfill"}'
FROM azure.data_factory.pipelines
WHERE subscriptionId = '${S}' AND resourceGroupName = 'rg-b' AND factoryName = 'factory-b2'
ORDER BY name
RETURNING runId;`,
  ),
  seed(
    'readme: SHOW and DESCRIBE',
    `SHOW PROVIDERS;
SHOW SERVICES IN azure LIKE '%factory%';
SHOW RESOURCES IN azure.data_factory LIKE 'pipeline%';
SHOW EXTENDED METHODS IN azure.data_factory.pipelines_runs;
DESCRIBE EXTENDED azure.data_factory.pipeline_runs;
DESCRIBE METHOD azure.data_factory.pipelines_runs.create;
SHOW INSERT INTO azure.data_factory.pipelines_runs /*+ REQUIRED */;`,
  ),
  seed(
    'readme query 1: failed runs in three factories',
    `SELECT factoryName, pipelineName, runId, runStart, message
FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${S}' AND resourceGroupName = 'data-rg'
  AND factoryName IN ('ingest', 'transform', 'publish') AND status = 'Failed'
ORDER BY runStart DESC;`,
  ),
  seed(
    'readme query 2: factories per group',
    `SELECT resourceGroupName, location, count(*) AS factories
FROM azure.data_factory.factories
WHERE subscriptionId = '${S}' AND resourceGroupName IN ('rg-a', 'rg-b', 'rg-c')
GROUP BY resourceGroupName, location;`,
  ),
  seed(
    'readme query 3: JSON functions and OR',
    `SELECT name, json_extract(properties, '$.provisioningState') AS state, json_extract(tags, '$.env') AS env
FROM azure.data_factory.factories
WHERE subscriptionId = '${S}'
  AND (json_extract(properties, '$.provisioningState') <> 'Succeeded' OR json_extract(tags, '$.env') IS NULL);`,
  ),
  seed(
    'readme query 4: dependent LEFT JOIN',
    `SELECT f.name AS factory, count(p.name) AS pipelines
FROM azure.data_factory.factories f
LEFT JOIN azure.data_factory.pipelines p ON p.factoryName = f.name AND p.resourceGroupName = f.resourceGroupName
WHERE subscriptionId = '${S}' AND f.resourceGroupName = 'data-rg' AND p.resourceGroupName = 'data-rg'
GROUP BY f.name;`,
  ),
  seed(
    'readme query 5: run history window, LIMIT',
    `SELECT pipelineName, count(*) AS runs, avg(durationInMs) / 1000 AS avg_seconds, max(durationInMs) / 1000 AS max_seconds
FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${S}' AND resourceGroupName = 'data-rg' AND factoryName = 'ingest'
  AND lastUpdatedAfter = '2026-11-16T00:00:00Z' AND status = 'Succeeded'
GROUP BY pipelineName ORDER BY avg_seconds DESC LIMIT 10;`,
  ),
  seed(
    'golden: CTE, subquery, UNION ALL over two sources',
    `WITH f AS (
  SELECT name, resourceGroupName, tags FROM azure.data_factory.factories
  WHERE subscriptionId = '${S}' AND resourceGroupName IN ('rg-a', 'rg-c')
)
SELECT f.name,
       CASE WHEN t.value IS NULL THEN 'untagged' ELSE t.value END AS env,
       (SELECT json_group_array(key) FROM json_each(f.tags)) AS tag_keys
FROM f LEFT JOIN json_each(f.tags) t ON t.key = 'env'
UNION ALL
SELECT 'groups with 3 factories', group_concat(DISTINCT resourceGroupName), NULL
FROM (
  SELECT resourceGroupName FROM azure.data_factory.factories
  WHERE subscriptionId = '${S}' AND resourceGroupName IN ('rg-a', 'rg-b', 'rg-c')
  GROUP BY resourceGroupName HAVING count(*) = 3
)
ORDER BY 1;`,
  ),
  seed(
    'streaming SELECT with placeholders, api-version and LIMIT/OFFSET',
    `SELECT name, location FROM azure.data_factory.factories
WHERE subscriptionId = '{{ sub }}' AND resourceGroupName = {{ resourceGroupName }} AND api-version = '2018-06-01' AND name <> '{{ factoryName }}'
LIMIT 5 OFFSET 2;`,
    SEED_VARS,
  ),
  seed(
    'Synapse SELECT of runs over a window',
    `SELECT runId, status FROM azure.synapse_artifacts.pipeline_runs
WHERE endpoint = 'https://myworkspace.dev.azuresynapse.net' AND lastUpdatedAfter = '2026-11-01T00:00:00Z' AND pipelineName IN ('a', 'b');`,
  ),
  seed('REGISTRY ADD', `REGISTRY ADD './petstore.json' AS petstore.pets AUDIENCE 'api://petstore/.default';`),
  seed(
    'ARM resources: tags and integers',
    `SELECT name, location FROM azure.resources.resource_groups WHERE subscriptionId = '${S}' AND "$top" = 10 AND "$filter" = 'tagName eq ''env''';
DESCRIBE azure.subscriptions.subscriptions;`,
  ),
];

// ---- arbitraries ----

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'INSERT',
  'INTO',
  'VALUES',
  'REPLACE',
  'UPDATE',
  'SET',
  'DELETE',
  'RETURNING',
  'EXEC',
  'EXECUTE',
  'SHOW',
  'EXTENDED',
  'PROVIDERS',
  'SERVICES',
  'RESOURCES',
  'METHODS',
  'DESCRIBE',
  'DESC',
  'METHOD',
  'LIKE',
  'REGISTRY',
  'ADD',
  'AS',
  'AUDIENCE',
  'JOIN',
  'LEFT',
  'INNER',
  'ON',
  'GROUP',
  'BY',
  'ORDER',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'DISTINCT',
  'UNION',
  'ALL',
  'WITH',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'COUNT',
  'count(*)',
  'json_extract',
  'json_each',
  'CREATE',
  'TABLE',
  'DROP',
  'BETWEEN',
  'EXISTS',
  'CAST',
];
const NAMES = [
  'azure',
  'data_factory',
  'synapse_artifacts',
  'resources',
  'subscriptions',
  'pipelines_runs',
  'pipeline_runs',
  'pipelines',
  'factories',
  'activity_runs',
  'operations',
  'resource_groups',
  'integration_runtimes',
  'create',
  'cancel',
  'get',
  'start',
  'list',
  'query_by_factory',
  'petstore',
  'pets',
  'x',
  'f',
  'p',
  't',
  'name',
  'runId',
  'status',
  'tags',
  'properties',
  'location',
  'subscriptionId',
  'subscription_id',
  'resourceGroupName',
  'factoryName',
  'pipelineName',
  'endpoint',
  'parameters',
  'isRecursive',
  'isRecovery',
  'api-version',
  'lastUpdatedAfter',
  'top',
  'concurrentJobsLimit',
  'durationInMs',
  '__skyql_0',
];
const QUALIFIED = [
  'azure.data_factory.pipelines_runs',
  'azure.data_factory.pipeline_runs',
  'azure.data_factory.factories',
  'azure.data_factory.pipelines',
  'azure.data_factory.pipeline_runs.cancel',
  'azure.data_factory.pipeline_runs.get',
  'azure.data_factory.pipelines_runs.create',
  'azure.synapse_artifacts.pipelines_runs',
  'azure.synapse_artifacts.pipeline_runs',
  'azure.synapse_artifacts.pipelines',
  'azure.data_factory.integration_runtime_nodes',
  'azure.data_factory.operations',
  'azure.resources.resource_groups',
  'azure.data_factory',
  'azure',
  'azur.data_factory.factories',
  'azure.data_factroy.x',
  '"azure".data_factory."factories"',
  'f.name',
  'p.factoryName',
];
const LITERALS = [
  `'${S}'`,
  "'my-rg'",
  "'my-factory'",
  "'factory-a1'",
  "'ab'",
  "'bad_name'",
  "'-p'",
  "'rg/x'",
  "''",
  "'it''s'",
  "'{}'",
  "'[]'",
  `'{"env":"prod"}'`,
  "'{not json'",
  "'[1,2]'",
  "'yes'",
  "'true'",
  "'1'",
  "'0'",
  "'2'",
  "'http://myworkspace.dev.azuresynapse.net'",
  "'myworkspace.dev.azuresynapse.net'",
  "'https://127.0.0.1:1'",
  "'2026-11-01T00:00:00Z'",
  "'%factory%'",
  "'{{ sub }}'",
  "'{{ sub }}/{{ x }}'",
  "'{{ not valid! }}'",
  "'{{ a'",
  "'\\'",
  "'\u00e9\u{1F600}'",
  '0',
  '1',
  '-1',
  '2',
  '1.5',
  '1e3',
  '.5',
  '9999999999999999999999',
  'TRUE',
  'FALSE',
  'NULL',
];
const PUNCTUATION = [
  '(',
  ')',
  ',',
  ';',
  '.',
  '=',
  '*',
  '<>',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '-',
  '+',
  '/',
  '||',
  '::',
  '->',
  '%',
  '?',
  '[',
  ']',
  '$',
  '#',
  '`',
  '"',
  "'",
  '\\',
];
const PLACEHOLDERS = [
  '{{ sub }}',
  '{{ x }}',
  '{{ api-version }}',
  '{{ a.b }}',
  '{{sub}}',
  '{{ }}',
  '{{ not valid! }}',
  '{{ 1x }}',
  '{{',
  '}}',
  '{{ x',
  '{{{ x }}}',
  "'{{ sub }}'",
  "'{{ x }}'",
  '{{ resourceGroupName }}',
  '{{ factoryName }}',
];
const PARAMS = [
  '@subscriptionId',
  '@resourceGroupName',
  '@factoryName',
  '@runId',
  '@run_id',
  '@isRecursive',
  '@api-version',
  '@"api-version"',
  '@"x',
  '@@json',
  '@@JSON',
  '@@body',
  '@',
  '@@',
  '@x-y',
  '@endpoint',
];
const HINTS = ['/*+ AWAIT */', '/*+ REQUIRED */', '/*+ AWAIT, REQUIRED */', '/*+ */', '/*+', '/* comment */', '/*', '*/', '-- comment\n', '--'];
const STARTERS = [
  'SELECT',
  'INSERT INTO',
  'REPLACE INTO',
  'UPDATE',
  'DELETE FROM',
  'EXEC',
  'SHOW',
  'DESCRIBE',
  'REGISTRY ADD',
  'WITH',
  'SHOW INSERT INTO',
  'DESCRIBE METHOD',
];
const SEPARATORS = [' ', ' ', ' ', '', '\n', '\t', '\r\n', '  '];

/** Names the vars arbitraries give values to: the seeds' placeholders and a few more. */
const VAR_NAMES = [
  'sub',
  'x',
  'a.b',
  'api-version',
  'resourceGroupName',
  'factoryName',
  'subscriptionId',
  'pipelineName',
  'isRecovery',
  '__proto__',
  'constructor',
];

const varValue: fc.Arbitrary<string | number | boolean | null> = fc.oneof(
  fc.constantFrom('', 'my-rg', 'factory-a1', S, 'true', 'x y', "'; DROP TABLE x; --", '{{ sub }}', '{"a":1}', 'http://h', '\n', '-'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** A few vars, sometimes none; keys from VAR_NAMES (including prototype-ish ones). */
export const varsArbitrary: fc.Arbitrary<Vars> = fc.array(fc.tuple(fc.constantFrom(...VAR_NAMES), varValue), { maxLength: 5 }).map((entries) => {
  const vars: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of entries) Object.defineProperty(vars, name, { value, enumerable: true, writable: true, configurable: true });
  return vars;
});

const configArbitrary = fc.nat({ max: ENGINE_CONFIGS.length - 1 });

const SQL_CHARS = [
  ...new Set([...'abcxyzABCSELFROMWHEINT_019 \n\t.,;()\'"`=*<>!-+/@{}[]$#%?\\:|', '\u00e9', '\u0000', '\u0001', '\u001f', '\u007f', '\u2028', '\u{1F600}']),
];

/** (a) Random strings: any UTF-16, printable ASCII, and SQL-heavy characters. */
export const randomStringCase: fc.Arbitrary<FrontEndCase> = fc.record({
  sql: fc.oneof(
    fc.string({ maxLength: 200, size: 'medium' }),
    fc.string({ unit: 'binary', maxLength: 200, size: 'medium' }),
    fc.string({ unit: fc.constantFrom(...SQL_CHARS), maxLength: 200, size: 'medium' }),
    fc
      .tuple(fc.constantFrom(...STARTERS), fc.string({ unit: fc.constantFrom(...SQL_CHARS), maxLength: 200, size: 'medium' }))
      .map(([start, rest]) => `${start} ${rest}`),
  ),
  vars: varsArbitrary,
  config: configArbitrary,
});

const token: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...QUALIFIED) },
  { weight: 4, arbitrary: fc.constantFrom(...LITERALS) },
  { weight: 5, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 2, arbitrary: fc.constantFrom(...PLACEHOLDERS) },
  { weight: 2, arbitrary: fc.constantFrom(...PARAMS) },
  { weight: 1, arbitrary: fc.constantFrom(...HINTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const joined = (parts: readonly (readonly [string, string])[]) => parts.map(([text, separator]) => text + separator).join('');

/** (b) Token soups, mostly opened by a statement keyword so they get past the first word. */
export const tokenSoupCase: fc.Arbitrary<FrontEndCase> = fc.record({
  sql: fc
    .tuple(fc.option(fc.constantFrom(...STARTERS), { freq: 5 }), fc.array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { maxLength: 60, size: 'medium' }))
    .map(([start, tokens]) => (start === null ? '' : `${start} `) + joined(tokens)),
  vars: varsArbitrary,
  config: configArbitrary,
});

// ---- mutations of the seeds ----

type Mutation =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'swap'; readonly i: number; readonly j: number }
  | { readonly kind: 'dropToken'; readonly i: number }
  | { readonly kind: 'replaceToken'; readonly i: number; readonly text: string }
  | { readonly kind: 'duplicateClause'; readonly from: number; readonly to: number }
  | { readonly kind: 'duplicateStatement' };

const CLAUSES = /\b(?:SELECT|FROM|WHERE|AND|VALUES|RETURNING|SET|ORDER BY|GROUP BY|LIMIT|JOIN|ON|UNION ALL|LIKE|IN)\b/gi;
/** Words, strings, placeholders, params, hints, comments and single characters, for token-level edits. */
const TOKEN_PATTERN = /'(?:[^']|'')*'?|"[^"]*"?|\{\{[^}]*\}\}|@@?[\w$-]*|\/\*[\s\S]*?\*\/|--[^\n]*|[A-Za-z_][\w$]*|\d+(?:\.\d+)?|\s+|[\s\S]/g;

function tokensOf(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

/** Indexes of the non-blank tokens. */
function meaningful(tokens: readonly string[]): number[] {
  return tokens.flatMap((text, index) => (/^\s+$/.test(text) ? [] : [index]));
}

export function applyMutation(sql: string, mutation: Mutation): string {
  const at = (n: number) => (sql.length === 0 ? 0 : n % (sql.length + 1));
  switch (mutation.kind) {
    case 'insert': {
      const i = at(mutation.at);
      return sql.slice(0, i) + mutation.text + sql.slice(i);
    }
    case 'delete': {
      const i = at(mutation.at);
      return sql.slice(0, i) + sql.slice(i + mutation.length);
    }
    case 'replace': {
      const i = at(mutation.at);
      return sql.slice(0, i) + mutation.text + sql.slice(i + mutation.text.length);
    }
    case 'truncate':
      return sql.slice(0, at(mutation.at));
    case 'duplicateStatement':
      return `${sql}\n${sql}`;
    case 'duplicateClause': {
      const starts = [...sql.matchAll(CLAUSES)].map((match) => match.index ?? 0);
      if (starts.length === 0) return sql;
      const from = mutation.from % starts.length;
      const clause = sql.slice(starts[from], starts[from + 1] ?? sql.length);
      const to = starts[mutation.to % starts.length];
      return `${sql.slice(0, to)}${clause} ${sql.slice(to)}`;
    }
    default: {
      const tokens = tokensOf(sql);
      const picks = meaningful(tokens);
      if (picks.length === 0) return sql;
      if (mutation.kind === 'swap') {
        const [i, j] = [picks[mutation.i % picks.length], picks[mutation.j % picks.length]];
        [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
      } else if (mutation.kind === 'dropToken') {
        tokens[picks[mutation.i % picks.length]] = '';
      } else {
        tokens[picks[mutation.i % picks.length]] = mutation.text;
      }
      return tokens.join('');
    }
  }
}

const position = fc.nat({ max: 5_000 });
const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(token, fc.string({ maxLength: 3 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: position,
    text: fc.oneof(fc.string({ minLength: 1, maxLength: 2 }), fc.constantFrom(...PUNCTUATION)),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('swap' as const), i: position, j: position }),
  fc.record({ kind: fc.constant('dropToken' as const), i: position }),
  fc.record({ kind: fc.constant('replaceToken' as const), i: position, text: token }),
  fc.record({ kind: fc.constant('duplicateClause' as const), from: position, to: position }),
  fc.constant({ kind: 'duplicateStatement' as const }),
);

/** (c) A seed with 1–4 mutations; its vars, sometimes changed or cut down. */
export const mutatedSeedCase: fc.Arbitrary<FrontEndCase> = fc
  .record({
    seed: fc.nat({ max: SEEDS.length - 1 }),
    mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }),
    extraVars: varsArbitrary,
    dropVars: fc.boolean(),
    config: configArbitrary,
  })
  .map(({ seed: index, mutations, extraVars, dropVars, config }) => {
    const source = SEEDS[index];
    const sql = mutations.reduce(applyMutation, source.sql);
    const vars = dropVars ? extraVars : { ...source.vars, ...extraVars };
    return { sql, vars, config };
  });

/** The three arbitraries with their share of the runs. */
export const FRONT_END_ARBITRARIES: readonly { readonly name: string; readonly arbitrary: fc.Arbitrary<FrontEndCase>; readonly share: number }[] = [
  { name: 'random strings', arbitrary: randomStringCase, share: 0.25 },
  { name: 'token soups', arbitrary: tokenSoupCase, share: 0.35 },
  { name: 'mutated seeds', arbitrary: mutatedSeedCase, share: 0.4 },
];

// A worker started by checkFrontEndInWorker: loads the engines, then checks what it is sent.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const port = parentPort;
  const engines = frontEndEngines();
  port.on('message', (input: FrontEndCase) => {
    try {
      checkFrontEnd(engines, input);
      port.postMessage({ ok: true } satisfies WorkerVerdict);
    } catch (error) {
      port.postMessage({ ok: false, message: (error as Error).message } satisfies WorkerVerdict);
    }
  });
  port.postMessage('ready');
}
