// A catalogue of bad statements and values, run through the public API against a mock Azure
// (the fake ARM fleet + the canned pipeline-run responses). Every row must be rejected with exactly its code,
// a one-line message and a hint — and before anything is sent: the mock server must see no
// request at all. A row marked `todo` documents a case the engine gets wrong (it runs
// with it.fails, so it turns red when the engine is fixed and the mark can go).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, EngineError, ERROR_CODES, type EngineOptions, type ErrorCode, type HttpClient } from '../../src/index.ts';
import { azureHandlers } from '../helpers/azure-mock.ts';
import { FLEET_SUBSCRIPTION, fleetHandlers } from '../helpers/azure-fleet.ts';
import { fakeCredential } from '../helpers/credential.ts';
import { startMockServer, type MockServer } from '../helpers/mock-server.ts';

interface Row {
  readonly name: string;
  readonly sql: string;
  readonly vars?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** Merged over the default options; a function when it needs the mock server's origin. */
  readonly options?: EngineOptions | ((origin: string) => EngineOptions);
  readonly code: ErrorCode;
  /** 1-based position the error must point at. */
  readonly span?: { readonly line: number; readonly column: number; readonly length?: number };
  /** Text the hint must contain (e.g. a did-you-mean). */
  readonly hint?: string;
  /** Entries `details` must contain. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Run with engine.query (one statement) instead of engine.run (a script). */
  readonly via?: 'query';
  /** Why the engine fails this row today; the row then runs as it.fails. */
  readonly todo?: string;
}

const SUB = FLEET_SUBSCRIPTION;
const KEYS = `@subscriptionId='${SUB}', @resourceGroupName='rg-a', @factoryName='factory-a1'`;
const CANCEL = `EXEC azure.data_factory.pipeline_runs.cancel ${KEYS}, @runId='r1'`;
const RUN_COLUMNS = 'subscriptionId, resourceGroupName, factoryName, pipelineName';
/** INSERT … SELECT into pipelines_runs with the four required values, then extra columns. */
const createRun = (factory = 'factory-a1', pipeline = 'ingest-orders', rg = 'rg-a', extraColumns = '', extraValues = '') =>
  `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}${extraColumns}) SELECT '${SUB}', '${rg}', '${factory}', '${pipeline}'${extraValues}`;
const FACTORY_WHERE = `WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`;
const RUNS_WHERE = `WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1'`;
const SYNAPSE_RUN = (endpoint: string) => `INSERT INTO azure.synapse_artifacts.pipelines_runs (endpoint, pipelineName) SELECT '${endpoint}', 'examplePipeline'`;
const NODE_WHERE = `WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'factory-a1' AND integrationRuntimeName = 'ir1' AND nodeName = 'node1'`;
/** A transport that never sends: for rows that would otherwise send many requests before failing. */
const REFUSING_TRANSPORT: HttpClient = {
  send: async (request) => {
    throw new Error(`test transport: refused to send ${request.method} ${request.url}`);
  },
  close: async () => {},
};
const inList = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `'${prefix}${i}'`).join(', ');

const ROWS: readonly Row[] = [
  // ---- syntax ----
  { name: 'syntax: SELECT without columns or source', sql: 'SELECT FROM WHERE', code: 'SQL_SYNTAX', span: { line: 1, column: 13 } },
  {
    name: 'syntax: doubled operator on the third line',
    sql: `SELECT name\nFROM azure.data_factory.factories\nWHERE subscriptionId = = '${SUB}'`,
    code: 'SQL_SYNTAX',
    span: { line: 3, column: 24 },
  },
  {
    name: 'syntax: second statement of a script, first must not run',
    sql: `${CANCEL};\nSELECT name FROM FROM azure.data_factory.factories`,
    code: 'SQL_SYNTAX',
    span: { line: 2, column: 23 },
  },
  { name: 'syntax: unknown leading keyword', sql: 'FROBNICATE azure.data_factory.factories', code: 'SQL_SYNTAX', span: { line: 1, column: 1 } },
  { name: 'syntax: CREATE TABLE is not a skyql statement', sql: 'CREATE TABLE t (a int)', code: 'SQL_SYNTAX' },
  {
    name: 'syntax: EXEC param without "="',
    sql: `EXEC azure.data_factory.pipeline_runs.cancel @runId 'r1'`,
    code: 'SQL_SYNTAX',
    span: { line: 1, column: 53 },
  },
  {
    name: 'syntax: EXEC param without "@"',
    sql: `EXEC azure.data_factory.pipeline_runs.cancel runId = 'r1'`,
    code: 'SQL_SYNTAX',
    span: { line: 1, column: 46 },
  },
  { name: 'syntax: EXEC "@" without a name', sql: `EXEC azure.data_factory.pipeline_runs.cancel @ = 'r1'`, code: 'SQL_SYNTAX' },
  { name: 'syntax: EXEC value is an identifier, not a literal', sql: `EXEC azure.data_factory.pipeline_runs.cancel @runId = r1`, code: 'SQL_SYNTAX' },
  { name: 'syntax: EXEC @@ for something other than json', sql: `${CANCEL}, @@body = '{}'`, code: 'SQL_SYNTAX' },
  { name: 'syntax: EXEC of a resource, not a method', sql: `EXEC azure.data_factory.pipeline_runs @runId = 'r1'`, code: 'SQL_SYNTAX' },
  { name: 'syntax: SHOW without a target', sql: 'SHOW azure', code: 'SQL_SYNTAX' },
  { name: 'syntax: text after DESCRIBE’s name', sql: 'DESCRIBE azure.data_factory.factories please', code: 'SQL_SYNTAX' },
  { name: 'syntax: REGISTRY ADD needs provider.service', sql: "REGISTRY ADD './spec.json' AS petstore", code: 'SQL_SYNTAX' },
  {
    name: 'syntax: INSERT column list never closed',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName SELECT 's', 'rg'`,
    code: 'SQL_SYNTAX',
  },
  // ---- unterminated ----
  {
    name: 'unterminated string',
    sql: "SELECT name FROM azure.data_factory.factories WHERE subscriptionId = 'abc",
    code: 'SQL_SYNTAX',
    span: { line: 1, column: 70 },
  },
  {
    name: 'unterminated string in the second statement',
    sql: `${CANCEL};\n${CANCEL.replace("'r1'", "'r2")}`,
    code: 'SQL_SYNTAX',
    span: { line: 2, column: CANCEL.indexOf("'r1'") + 1 },
  },
  { name: 'unterminated block comment', sql: `${CANCEL} /* never closed`, code: 'SQL_SYNTAX' },
  { name: 'unterminated hint', sql: `EXEC /*+ AWAIT azure.data_factory.pipeline_runs.cancel @runId = 'r1'`, code: 'SQL_SYNTAX', span: { line: 1, column: 6 } },
  { name: 'unterminated quoted identifier', sql: 'SELECT "name FROM azure.data_factory.factories', code: 'SQL_SYNTAX' },
  { name: 'unterminated placeholder', sql: `${CANCEL}, @isRecursive = {{ recursive`, code: 'TPL_INVALID' },
  {
    name: 'unterminated placeholder inside a quoted value',
    sql: CANCEL.replace("'r1'", "'{{ runId'"),
    vars: { runId: 'r1' },
    code: 'TPL_INVALID',
  },
  // ---- unknown names ----
  {
    name: 'unknown provider, with a did-you-mean',
    sql: `SELECT name FROM azur.data_factory.factories WHERE subscriptionId = '${SUB}'`,
    code: 'REG_UNKNOWN_PROVIDER',
    hint: 'did you mean "azure"?',
  },
  {
    name: 'unknown service, with a did-you-mean',
    sql: `SELECT name FROM azure.data_factroy.factories WHERE subscriptionId = '${SUB}'`,
    code: 'REG_UNKNOWN_SERVICE',
    hint: 'did you mean "data_factory"?',
    span: { line: 1, column: 18 },
  },
  {
    name: 'unknown resource in INSERT, with a did-you-mean',
    sql: createRun().replace('pipelines_runs', 'pipelines_run'),
    code: 'REG_UNKNOWN_RESOURCE',
    hint: 'did you mean "pipelines_runs"?',
  },
  { name: 'unknown method in EXEC, with a did-you-mean', sql: CANCEL.replace('.cancel', '.cancl'), code: 'REG_UNKNOWN_METHOD', hint: 'did you mean "cancel"?' },
  { name: 'a provider that is not pulled, in SHOW', sql: 'SHOW RESOURCES IN gcp.compute', code: 'REG_NOT_PULLED', hint: 'REGISTRY PULL gcp;' },
  {
    name: 'a service of a provider that is not pulled, in DESCRIBE',
    sql: 'DESCRIBE azure.nosuchservice.things',
    code: 'REG_NOT_PULLED',
    hint: 'REGISTRY PULL azure;',
  },
  {
    name: 'unknown resource named by a quoted identifier with a newline',
    sql: `SELECT * FROM azure.data_factory."fact\nories" WHERE subscriptionId = '${SUB}'`,
    code: 'REG_UNKNOWN_RESOURCE',
  },
  {
    name: 'SELECT from a hyphenated service name (data-factory)',
    sql: `SELECT name FROM azure.data-factory.factories WHERE subscriptionId = '${SUB}'`,
    code: 'REG_UNKNOWN_SERVICE',
    hint: 'did you mean "data_factory"?',
  },
  {
    name: 'INSERT into a hyphenated service name (data-factory)',
    sql: createRun().replace('data_factory', 'data-factory'),
    code: 'REG_UNKNOWN_SERVICE',
    hint: 'did you mean "data_factory"?',
  },
  {
    name: 'a positional parameter as the target',
    sql: 'DELETE FROM $1',
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'parentheses nested 5,000 deep',
    sql: `SELECT ${'('.repeat(5_000)}1${')'.repeat(5_000)} FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`,
    code: 'SQL_UNSUPPORTED',
  },
  // ---- missing required params ----
  {
    name: 'INSERT without factoryName and pipelineName',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName) SELECT '${SUB}', 'rg-a'`,
    code: 'PLAN_MISSING_PARAM',
    details: { missing: ['factoryName', 'pipelineName'] },
  },
  {
    name: 'INSERT … VALUES with a required NULL',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}) VALUES ('${SUB}', 'rg-a', 'factory-a1', NULL)`,
    code: 'PLAN_MISSING_PARAM',
    details: { missing: ['pipelineName'] },
  },
  { name: 'EXEC without runId', sql: `EXEC azure.data_factory.pipeline_runs.cancel ${KEYS}`, code: 'PLAN_MISSING_PARAM', details: { missing: ['runId'] } },
  { name: 'EXEC with a required param given as empty', sql: CANCEL.replace("'r1'", "''"), code: 'PLAN_MISSING_PARAM', details: { missing: ['runId'] } },
  {
    name: 'SELECT with a single read method and a missing param',
    sql: `SELECT * FROM azure.data_factory.activity_runs ${RUNS_WHERE}`,
    code: 'PLAN_MISSING_PARAM',
  },
  {
    name: 'SELECT whose params match no read method',
    sql: `SELECT * FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '${SUB}'`,
    code: 'PLAN_NO_MATCHING_METHOD',
  },
  {
    name: 'UPDATE without factoryName',
    sql: `UPDATE azure.data_factory.factories SET tags = '{"env":"prod"}' WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a'`,
    code: 'PLAN_MISSING_PARAM',
    details: { missing: ['factoryName'] },
  },
  {
    name: 'DELETE without factoryName',
    sql: `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a'`,
    code: 'PLAN_MISSING_PARAM',
    details: { missing: ['factoryName'] },
  },
  { name: 'DELETE without WHERE', sql: 'DELETE FROM azure.data_factory.factories', code: 'PLAN_MISSING_PARAM' },
  {
    name: 'Synapse INSERT without endpoint',
    sql: "INSERT INTO azure.synapse_artifacts.pipelines_runs (pipelineName) SELECT 'examplePipeline'",
    code: 'PLAN_MISSING_PARAM',
    details: { missing: ['endpoint'] },
  },
  // ---- value rules ----
  {
    name: 'factoryName too short',
    sql: createRun('ab'),
    code: 'PLAN_INVALID_VALUE',
    details: { param: 'factoryName' },
    span: { line: 1, column: createRun('ab').indexOf("'ab'") + 1 },
  },
  { name: 'factoryName too long', sql: createRun('f'.repeat(64)), code: 'PLAN_INVALID_VALUE', details: { param: 'factoryName' } },
  { name: 'factoryName with an underscore', sql: createRun('bad_factory'), code: 'PLAN_INVALID_VALUE', details: { param: 'factoryName' } },
  { name: 'factoryName ending with "-"', sql: createRun('factory-'), code: 'PLAN_INVALID_VALUE' },
  {
    name: 'factoryName from a template var',
    sql: createRun('{{ factory }}'),
    vars: { factory: 'x' },
    code: 'PLAN_INVALID_VALUE',
    details: { param: 'factoryName', value: 'x' },
  },
  {
    name: 'resourceGroupName with "/"',
    sql: createRun('factory-a1', 'ingest-orders', 'rg-a/../evil'),
    code: 'PLAN_INVALID_VALUE',
    details: { param: 'resourceGroupName' },
  },
  { name: 'resourceGroupName longer than 90', sql: createRun('factory-a1', 'ingest-orders', 'r'.repeat(91)), code: 'PLAN_INVALID_VALUE' },
  { name: 'pipelineName starting with "-"', sql: createRun('factory-a1', '-nightly'), code: 'PLAN_INVALID_VALUE', details: { param: 'pipelineName' } },
  { name: 'pipelineName with "?"', sql: createRun('factory-a1', 'nightly?x=1'), code: 'PLAN_INVALID_VALUE' },
  {
    name: 'SELECT with a bad factoryName in WHERE',
    sql: `SELECT name FROM azure.data_factory.pipelines WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = 'a_b'`,
    code: 'PLAN_INVALID_VALUE',
    span: { line: 1, column: 158, length: 5 },
  },
  {
    name: 'SELECT, second statement of a script, a bad value on its second line',
    sql: `SELECT 'x';\nSELECT name FROM azure.data_factory.pipelines WHERE subscriptionId = '${SUB}'\n  AND resourceGroupName = 'rg-a' AND factoryName IN ('ok-1', 'a_b')`,
    code: 'PLAN_INVALID_VALUE',
    span: { line: 3, column: 62, length: 5 },
  },
  {
    name: 'DELETE with a bad factoryName in an IN list',
    sql: `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName IN ('factory-a1', 'no_good')`,
    code: 'PLAN_INVALID_VALUE',
    span: { line: 1, column: 169, length: 9 },
  },
  { name: "boolean 'yes'", sql: `${CANCEL}, @isRecursive = 'yes'`, code: 'PLAN_INVALID_VALUE', details: { param: 'isRecursive', value: 'yes' } },
  { name: 'boolean 2', sql: `${CANCEL}, @isRecursive = 2`, code: 'PLAN_INVALID_VALUE', details: { param: 'isRecursive', value: 2 } },
  {
    name: 'boolean from a var',
    sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', isRecovery', ", '{{ recovery }}'"),
    vars: { recovery: 'maybe' },
    code: 'PLAN_INVALID_VALUE',
    details: { param: 'isRecovery' },
  },
  {
    name: "integer 'ten'",
    sql: `UPDATE azure.data_factory.integration_runtime_nodes SET concurrentJobsLimit = 'ten' ${NODE_WHERE}`,
    code: 'PLAN_INVALID_VALUE',
    details: { param: 'concurrentJobsLimit' },
  },
  { name: 'integer 1.5', sql: `UPDATE azure.data_factory.integration_runtime_nodes SET concurrentJobsLimit = 1.5 ${NODE_WHERE}`, code: 'PLAN_INVALID_VALUE' },
  { name: 'integer TRUE', sql: `UPDATE azure.data_factory.integration_runtime_nodes SET concurrentJobsLimit = TRUE ${NODE_WHERE}`, code: 'PLAN_INVALID_VALUE' },
  {
    name: 'integer below its minimum',
    sql: `UPDATE azure.data_factory.integration_runtime_nodes SET concurrentJobsLimit = 0 ${NODE_WHERE}`,
    code: 'PLAN_INVALID_VALUE',
  },
  {
    name: 'integer query param in a SELECT',
    sql: `SELECT name FROM azure.resources.resource_groups WHERE subscriptionId = '${SUB}' AND top = '10x'`,
    code: 'PLAN_INVALID_VALUE',
  },
  // ---- JSON ----
  {
    name: 'parameters is not JSON',
    sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', parameters', ", '{not json'"),
    code: 'PLAN_INVALID_JSON',
    details: { param: 'parameters' },
  },
  { name: 'parameters is a JSON array', sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', parameters', ", '[1, 2]'"), code: 'PLAN_INVALID_JSON' },
  { name: 'parameters is a JSON number', sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', parameters', ", '42'"), code: 'PLAN_INVALID_JSON' },
  {
    name: 'parameters from a var that is not JSON',
    sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', parameters', ", '{{ params }}'"),
    vars: { params: '{"a":' },
    code: 'PLAN_INVALID_JSON',
  },
  {
    name: 'tags is not JSON (UPDATE)',
    sql: `UPDATE azure.data_factory.factories SET tags = '{"env":' ${FACTORY_WHERE}`,
    code: 'PLAN_INVALID_JSON',
    details: { param: 'tags' },
  },
  {
    name: 'tags is a JSON array (INSERT)',
    sql: `INSERT INTO azure.data_factory.factories (subscriptionId, resourceGroupName, factoryName, location, tags) VALUES ('${SUB}', 'rg-a', 'new-factory', 'westeurope', '["env"]')`,
    code: 'PLAN_INVALID_JSON',
  },
  { name: '@@json is not JSON', sql: `${CANCEL}, @@json = 'not json'`, code: 'PLAN_INVALID_JSON' },
  { name: '@@json is a JSON array', sql: `${CANCEL}, @@json = '[{"key": "value"}]'`, code: 'PLAN_INVALID_JSON' },
  { name: '@@json is NULL', sql: `${CANCEL}, @@json = NULL`, code: 'PLAN_INVALID_JSON' },
  // ---- columns ----
  { name: 'unknown RETURNING column, with a did-you-mean', sql: `${createRun()} RETURNING runid2`, code: 'PLAN_UNKNOWN_COLUMN', hint: 'did you mean "runId"?' },
  {
    name: 'RETURNING on a DELETE that returns no body',
    sql: `DELETE FROM azure.data_factory.factories ${FACTORY_WHERE} RETURNING name`,
    code: 'PLAN_UNKNOWN_COLUMN',
  },
  {
    name: 'unknown SELECT column',
    sql: `SELECT name, colour FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`,
    code: 'PLAN_UNKNOWN_COLUMN',
    span: { line: 1, column: 14 },
  },
  {
    name: 'unknown column in a local WHERE condition',
    sql: `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND colour = 'red'`,
    code: 'PLAN_UNKNOWN_COLUMN',
  },
  {
    name: 'unknown qualified column in a join',
    sql: `SELECT f.name, p.colour FROM azure.data_factory.factories f JOIN azure.data_factory.pipelines p ON p.factoryName = f.name WHERE subscriptionId = '${SUB}' AND f.resourceGroupName = 'rg-a' AND p.resourceGroupName = 'rg-a'`,
    code: 'PLAN_UNKNOWN_COLUMN',
  },
  {
    name: 'a param compared with an expression is named as a param, with how to give it',
    sql: `SELECT runId FROM azure.data_factory.pipeline_runs ${RUNS_WHERE} AND lastUpdatedAfter = datetime('now', '-2 days')`,
    code: 'PLAN_UNKNOWN_COLUMN',
    hint: "lastUpdatedAfter = 'value'",
  },
  {
    name: 'unknown SQLite function (checked locally before sending)',
    sql: `SELECT shout(name) FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`,
    code: 'SQL_LOCAL',
  },
  // ---- templates ----
  {
    name: 'every missing var is listed',
    sql: `EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId = '{{ sub }}', @resourceGroupName = {{ rg }}, @factoryName = '{{ factory }}', @runId = '{{ run.id }}'`,
    vars: { factory: 'factory-a1' },
    code: 'TPL_MISSING_VAR',
    details: { missing: ['sub', 'rg', 'run.id'] },
  },
  {
    name: 'a var given as undefined is missing',
    sql: CANCEL.replace("'r1'", "'{{ runId }}'"),
    vars: { runId: undefined },
    code: 'TPL_MISSING_VAR',
    details: { missing: ['runId'] },
  },
  {
    name: 'missing vars in a SELECT (bound to SQLite)',
    sql: `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND location = '{{ where }}' AND name <> '{{ not-this }}'`,
    code: 'TPL_MISSING_VAR',
    details: { missing: ['where', 'not-this'] },
  },
  {
    name: 'missing vars in two statements are all listed',
    sql: `${CANCEL.replace("'r1'", "'{{ first }}'")};\n${CANCEL.replace("'r1'", "'{{ second }}'")}`,
    code: 'TPL_MISSING_VAR',
    details: { missing: ['first', 'second'] },
  },
  { name: 'invalid placeholder name with "!"', sql: CANCEL.replace("'r1'", "'{{ not valid! }}'"), code: 'TPL_INVALID' },
  { name: 'invalid placeholder name starting with a digit', sql: CANCEL.replace("'r1'", '{{ 1run }}'), vars: { '1run': 'r1' }, code: 'TPL_INVALID' },
  { name: 'empty placeholder', sql: CANCEL.replace("'r1'", "'{{ }}'"), code: 'TPL_INVALID' },
  { name: 'placeholder name with a space', sql: CANCEL.replace("'r1'", '{{ run id }}'), code: 'TPL_INVALID' },
  // ---- insecure URLs ----
  {
    name: 'Synapse endpoint over plain http',
    sql: SYNAPSE_RUN('http://myworkspace.dev.azuresynapse.net'),
    options: (origin) => ({ endpoints: { azure: origin } }),
    code: 'PLAN_INSECURE_URL',
  },
  {
    name: 'Synapse endpoint override over plain http',
    sql: SYNAPSE_RUN('myworkspace.dev.azuresynapse.net'),
    options: (origin) => ({ endpoints: { azure: origin, 'azure.synapse_artifacts': 'http://myworkspace.dev.azuresynapse.net' } }),
    code: 'PLAN_INSECURE_URL',
  },
  {
    name: 'Synapse endpoint on a host that only starts like a loopback address',
    sql: SYNAPSE_RUN('http://127.0.0.1.nip.io'),
    options: (origin) => ({ endpoints: { azure: origin } }),
    code: 'PLAN_INSECURE_URL',
  },
  {
    name: 'Synapse endpoint with another scheme',
    sql: SYNAPSE_RUN('ftp://myworkspace.dev.azuresynapse.net'),
    options: (origin) => ({ endpoints: { azure: origin } }),
    code: 'PLAN_INSECURE_URL',
  },
  { name: 'ARM endpoint override over plain http', sql: CANCEL, options: { endpoints: { azure: 'http://management.example.com' } }, code: 'PLAN_INSECURE_URL' },
  // ---- verbs ----
  {
    name: 'SELECT on an insert-only resource',
    sql: `SELECT * FROM azure.data_factory.pipelines_runs WHERE subscriptionId = '${SUB}'`,
    code: 'PLAN_VERB_UNSUPPORTED',
  },
  { name: 'INSERT on a read-only resource', sql: "INSERT INTO azure.data_factory.operations (x) VALUES ('y')", code: 'PLAN_VERB_UNSUPPORTED' },
  {
    name: 'UPDATE on a resource without PATCH',
    sql: `UPDATE azure.data_factory.pipelines SET description = 'x' ${FACTORY_WHERE} AND pipelineName = 'ingest-orders'`,
    code: 'PLAN_VERB_UNSUPPORTED',
  },
  {
    name: 'DELETE on a resource without DELETE',
    sql: `DELETE FROM azure.data_factory.pipeline_runs ${RUNS_WHERE} AND runId = 'r1'`,
    code: 'PLAN_VERB_UNSUPPORTED',
  },
  // ---- mixed forms ----
  {
    name: 'VALUES row narrower than the column list',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}) VALUES ('${SUB}', 'rg-a', 'factory-a1')`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'second VALUES row wider than the first',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}) VALUES ('${SUB}', 'rg-a', 'factory-a1', 'p1'), ('${SUB}', 'rg-a', 'factory-a1', 'p2', 'extra')`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'INSERT … SELECT … FROM with the wrong width',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}) SELECT '${SUB}', 'rg-a', name FROM azure.data_factory.pipelines ${FACTORY_WHERE}`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'INSERT value that reads a column',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}) VALUES ('${SUB}', 'rg-a', 'factory-a1', lower(name))`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'INSERT value that SQLite rejects',
    sql: `INSERT INTO azure.data_factory.pipelines_runs (${RUN_COLUMNS}) VALUES ('${SUB}', 'rg-a', 'factory-a1', json('{'))`,
    code: 'SQL_LOCAL',
  },
  {
    name: '@@json on a GET method (EXEC of a read method)',
    sql: `EXEC azure.data_factory.pipeline_runs.get ${KEYS}, @runId = 'r1', @@json = '{"key": "value"}'`,
    code: 'PLAN_UNKNOWN_PARAM',
  },
  { name: 'EXEC param given twice', sql: `${CANCEL}, @runId = 'r2'`, code: 'PLAN_DUPLICATE_PARAM' },
  { name: 'EXEC param given twice through its snake_case alias', sql: `${CANCEL}, @run_id = 'r2'`, code: 'PLAN_DUPLICATE_PARAM' },
  {
    name: 'INSERT column given twice',
    sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', factory_name', ", 'factory-a2'"),
    code: 'PLAN_DUPLICATE_PARAM',
  },
  {
    name: 'UPDATE param both in SET and in WHERE',
    sql: `UPDATE azure.data_factory.factories SET factoryName = 'factory-a2' ${FACTORY_WHERE}`,
    code: 'PLAN_DUPLICATE_PARAM',
  },
  {
    name: '@@json given twice',
    sql: `${CANCEL}, @@json = '{"a": 1}', @@json = '{"b": 2}'`,
    code: 'PLAN_DUPLICATE_PARAM',
  },
  { name: 'unknown EXEC param, with a did-you-mean', sql: `${CANCEL}, @isRecursve = true`, code: 'PLAN_UNKNOWN_PARAM', hint: 'did you mean "isRecursive"?' },
  { name: 'unknown EXEC param whose quoted name holds a newline', sql: `${CANCEL}, @"is\nRecursive" = true`, code: 'PLAN_UNKNOWN_PARAM' },
  { name: 'unknown INSERT column', sql: createRun('factory-a1', 'ingest-orders', 'rg-a', ', colour', ", 'red'"), code: 'PLAN_UNKNOWN_PARAM' },
  {
    name: 'UPDATE SET with an expression that reads the resource',
    sql: `UPDATE azure.data_factory.factories SET tags = json_set(tags, '$.a', 1) ${FACTORY_WHERE}`,
    code: 'SQL_UNSUPPORTED',
  },
  { name: 'two statements given to query()', sql: `${CANCEL}; ${CANCEL}`, code: 'SQL_UNSUPPORTED', via: 'query' },
  // ---- WHERE of a mutation ----
  {
    name: 'DELETE with <>',
    sql: `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName <> 'factory-a1'`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'DELETE with OR',
    sql: `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND (factoryName = 'factory-a1' OR factoryName = 'factory-a2')`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'DELETE with LIKE',
    sql: `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName LIKE 'factory-%'`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    name: 'UPDATE with a column = column condition',
    sql: `UPDATE azure.data_factory.factories SET tags = '{}' WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName = name`,
    code: 'SQL_UNSUPPORTED',
  },
  { name: 'UPDATE with IS NULL', sql: `UPDATE azure.data_factory.factories SET tags = '{}' ${FACTORY_WHERE} AND location IS NULL`, code: 'SQL_UNSUPPORTED' },
  // ---- fan-out ----
  {
    name: 'IN list beyond the fan-out limit',
    sql: `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName IN (${inList(1001, 'rg-')})`,
    code: 'PLAN_FAN_OUT_LIMIT',
  },
  {
    name: 'two IN lists whose product is beyond the limit',
    sql: `SELECT name FROM azure.data_factory.pipelines WHERE subscriptionId = '${SUB}' AND resourceGroupName IN (${inList(40, 'rg-')}) AND factoryName IN (${inList(30, 'factory-')})`,
    code: 'PLAN_FAN_OUT_LIMIT',
  },
  {
    // The transport refuses to send (sending 1001 DELETEs would only make the todo slow).
    name: 'DELETE with an IN list beyond the fan-out limit',
    sql: `DELETE FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-a' AND factoryName IN (${inList(1001, 'gone-')})`,
    code: 'PLAN_FAN_OUT_LIMIT',
    options: { http: REFUSING_TRANSPORT },
  },
  {
    name: 'dependent join that also fans out over IN',
    sql: `SELECT f.name, p.name FROM azure.data_factory.factories f JOIN azure.data_factory.pipelines p ON p.factoryName = f.name WHERE subscriptionId = '${SUB}' AND f.resourceGroupName = 'rg-a' AND p.resourceGroupName IN ('rg-a', 'rg-b')`,
    code: 'SQL_UNSUPPORTED',
  },
  {
    // A host decides where the token goes, so a join never fills it: the endpoint is missing.
    name: 'dependent join into a host param (Synapse endpoint)',
    sql: "SELECT * FROM azure.synapse_artifacts.pipelines p JOIN azure.synapse_artifacts.pipeline_runs r ON r.endpoint = p.name AND r.runId = 'r1' WHERE p.endpoint = 'myworkspace.dev.azuresynapse.net'",
    options: (origin) => ({ endpoints: { azure: origin } }),
    code: 'PLAN_MISSING_PARAM',
  },
  // ---- scripts: nothing of a script runs when a later statement is bad ----
  {
    name: 'script: second statement names an unknown resource',
    sql: `${CANCEL};\nSELECT * FROM azure.data_factory.pipeline_runz ${RUNS_WHERE}`,
    code: 'REG_UNKNOWN_RESOURCE',
    span: { line: 2, column: 15 },
  },
  {
    name: 'script: second statement has an invalid value',
    sql: `${CANCEL};\n${createRun('no_good')}`,
    code: 'PLAN_INVALID_VALUE',
    span: { line: 2, column: createRun('no_good').indexOf("'no_good'") + 1 },
  },
  {
    name: 'script: second statement misses a var',
    sql: `${CANCEL};\n${CANCEL.replace("'r1'", "'{{ later }}'")}`,
    code: 'TPL_MISSING_VAR',
    details: { missing: ['later'] },
  },
  {
    name: 'script: third statement misses a param',
    sql: `${CANCEL};\n${createRun()};\nEXEC azure.data_factory.pipeline_runs.cancel ${KEYS}`,
    code: 'PLAN_MISSING_PARAM',
  },
  {
    name: 'script: second statement selects an unknown column',
    sql: `${createRun()} RETURNING runId;\nSELECT nope FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`,
    code: 'PLAN_UNKNOWN_COLUMN',
  },
  // ---- empty ----
  { name: 'only a comment', sql: '  -- nothing here\n', code: 'SQL_EMPTY' },
  { name: 'only semicolons and a hint', sql: ' ; /*+ AWAIT */ ;; ', code: 'SQL_EMPTY' },
];

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer([...fleetHandlers(), ...azureHandlers]);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function optionsOf(row: Row): EngineOptions {
  const extra = typeof row.options === 'function' ? row.options(server.origin) : row.options;
  return { credential: fakeCredential(), endpoints: { azure: server.origin, 'azure.synapse_artifacts': server.origin }, ...extra };
}

describe('bad input is rejected with its code before anything is sent', () => {
  it('the catalogue is broad', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(45);
    expect(new Set(ROWS.map((row) => row.name)).size).toBe(ROWS.length);
  });

  for (const row of ROWS) {
    (row.todo && !process.env.TODO_AS_IT ? it.fails : it)(`${row.code}: ${row.name}`, async () => {
      const engine = createEngine(optionsOf(row));
      const run = row.via === 'query' ? engine.query(row.sql, { vars: row.vars }) : engine.run(row.sql, { vars: row.vars });
      const error = await run.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      await engine.close();
      expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([]);
      expect(error).toBeInstanceOf(EngineError);
      const engineError = error as EngineError;
      expect(Object.keys(ERROR_CODES)).toContain(engineError.code);
      expect({ code: engineError.code, message: engineError.message }).toMatchObject({ code: row.code });
      expect(engineError.message).not.toMatch(/[\r\n]/);
      expect(engineError.hint.trim()).not.toBe('');
      if (row.hint) expect(engineError.hint).toContain(row.hint);
      if (row.span) {
        const { line, column, length } = engineError.span ?? {};
        expect(row.span.length === undefined ? { line, column } : { line, column, length }).toEqual(row.span);
      }
      if (row.details) expect(engineError.details).toMatchObject(row.details);
    });
  }
});
