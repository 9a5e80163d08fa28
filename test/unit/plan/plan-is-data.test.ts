// A plan is data: plain values only (no functions, Maps, class instances), so it can be printed,
// compared in goldens, sent elsewhere — and JSON gives it back unchanged.

import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.ts';
import { fakeCredential } from '../../helpers/credential.ts';

const SUB = "subscriptionId = '00000000-0000-0000-0000-000000000001'";
const STATEMENTS = [
  `SELECT name, location FROM azure.data_factory.factories WHERE ${SUB} AND resourceGroupName IN ('a', 'b') AND location = 'x'`,
  `SELECT f.name, p.name FROM azure.data_factory.factories f JOIN azure.data_factory.pipelines p ON p.factoryName = f.name WHERE ${SUB} AND f.resourceGroupName = 'rg' AND p.resourceGroupName = 'rg'`,
  `SELECT pipelineName, count(*) FROM azure.data_factory.pipeline_runs WHERE ${SUB} AND resourceGroupName = 'rg' AND factoryName = 'fac' AND lastUpdatedAfter = '2026-11-01T00:00:00Z' GROUP BY pipelineName`,
  `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT f.name, c.n FROM c, azure.data_factory.factories f WHERE f.${SUB}`,
  `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) SELECT '00000000-0000-0000-0000-000000000001', 'rg', 'fac', name FROM azure.data_factory.pipelines WHERE ${SUB} AND resourceGroupName = 'rg' AND factoryName = 'fac' RETURNING runId`,
  "INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName) VALUES ('s1', 'rg', 'fac', 'p1'), ('s1', 'rg', 'fac', 'p2') RETURNING runId",
  `DELETE FROM azure.data_factory.factories WHERE ${SUB} AND resourceGroupName = 'rg' AND factoryName IN ('fa1', 'fa2')`,
  "EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId='s', @resourceGroupName='rg', @factoryName='fac', @runId='r'",
  'SHOW METHODS IN azure.data_factory.factories',
];

function plainOnly(value: unknown, path: string): string[] {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return [];
  if (typeof value !== 'object') return [`${path}: ${typeof value}`];
  if (Array.isArray(value)) return value.flatMap((item, i) => plainOnly(item, `${path}[${i}]`));
  if (Object.getPrototypeOf(value) !== Object.prototype) return [`${path}: ${(value as object).constructor?.name}`];
  return Object.entries(value).flatMap(([key, item]) => (item === undefined ? [] : plainOnly(item, `${path}.${key}`)));
}

describe('a plan is data', () => {
  const engine = createEngine({ credential: fakeCredential(), now: () => new Date('2026-11-22T12:00:00Z') });
  for (const sql of STATEMENTS) {
    it(sql.slice(0, 70), () => {
      const [planned] = engine.plan(sql);
      expect(plainOnly(planned.plan, 'plan')).toEqual([]);
      expect(JSON.parse(JSON.stringify(planned.plan))).toEqual(planned.plan);
    });
  }
});
