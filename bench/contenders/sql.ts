// The statements the skyql contenders (library and CLI) run. Kept apart from skyql.ts so that
// the undici and SDK workers, which import the scenarios, never load skyql.

import type { Target } from './api.ts';

export const CREATE_RUN_SQL = `INSERT INTO azure.data_factory.pipelines_runs (subscriptionId, resourceGroupName, factoryName, pipelineName)
SELECT '{{ subscriptionId }}', '{{ resourceGroupName }}', '{{ factoryName }}', '{{ pipelineName }}'
RETURNING runId`;

export const listRunsSql = (t: Target, factory: string, after: string) => `SELECT runId, pipelineName, status, runStart, durationInMs
FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${t.subscriptionId}' AND resourceGroupName = '${t.resourceGroup}' AND factoryName = '${factory}'
  AND lastUpdatedAfter = '${after}'`;

export const listFactoriesSql = (subscriptionId: string) =>
  `SELECT id, name, location FROM azure.data_factory.factories WHERE subscriptionId = '${subscriptionId}'`;

/** `SELECT *`, as users write it: every column, objects as JSON text. */
export const listRunsStarSql = (t: Target, factory: string, after: string) => `SELECT * FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${t.subscriptionId}' AND resourceGroupName = '${t.resourceGroup}' AND factoryName = '${factory}'
  AND lastUpdatedAfter = '${after}'`;

/** One run by id, every column; the id is a literal, as in a statement written by hand or a script. */
export const getRunStarSql = (t: Target, factory: string, runId: string) => `SELECT * FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${t.subscriptionId}' AND resourceGroupName = '${t.resourceGroup}' AND factoryName = '${factory}' AND runId = '${runId}'`;

export const listFactoriesStarSql = (subscriptionId: string) => `SELECT * FROM azure.data_factory.factories WHERE subscriptionId = '${subscriptionId}'`;

export const summarySql = (t: Target, factory: string, after: string) => `SELECT pipelineName, json_extract(invokedBy, '$.invokedByType') AS trigger,
  count(*) AS runs, avg(durationInMs) AS avgMs
FROM azure.data_factory.pipeline_runs
WHERE subscriptionId = '${t.subscriptionId}' AND resourceGroupName = '${t.resourceGroup}' AND factoryName = '${factory}'
  AND lastUpdatedAfter = '${after}'
GROUP BY pipelineName, trigger`;
