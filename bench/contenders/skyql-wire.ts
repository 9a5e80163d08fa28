// skyql through the PostgreSQL wire protocol: the same statements as the library contender, sent by
// node-postgres to `skyql serve` running in a child process. What is judged is the server's CPU
// (serverUsage), not this process's: node-postgres parsing rows is the client's cost.

import { fork, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { Api, FactoryRow, RunRow, SummaryRow, Target } from './api.ts';
import { listFactoriesSql, listFactoriesStarSql, listRunsSql, listRunsStarSql, summarySql } from './sql.ts';

export async function skyqlWireApi(target: Target): Promise<Api> {
  const child = fork(new URL('./wire-server.ts', import.meta.url), [target.origin], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await reply<{ port: number }>(child);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'skyql', database: 'skyql' });
  await client.connect();
  const rows = async (sql: string) => (await client.query(sql)).rows;
  return {
    createRun: () => Promise.reject(new Error('skyql-wire runs the read scenarios only')),
    getRun: () => Promise.reject(new Error('skyql-wire runs the list scenarios only')),
    async listRuns(factory, after, onPage) {
      const result = await rows(listRunsSql(target, factory, after));
      onPage(result as RunRow[]);
      return result.length;
    },
    async listFactories(subscriptionId, onPage) {
      const result = await rows(listFactoriesSql(subscriptionId));
      onPage(result as FactoryRow[]);
      return result.length;
    },
    async listRunsAll(factory, after, onPage) {
      const result = await rows(listRunsStarSql(target, factory, after));
      onPage(result);
      return result.length;
    },
    async listFactoriesAll(subscriptionId, onPage) {
      const result = await rows(listFactoriesStarSql(subscriptionId));
      onPage(result);
      return result.length;
    },
    runsSummary: async (factory, after) => (await rows(summarySql(target, factory, after))) as SummaryRow[],
    serverUsage() {
      child.send('usage');
      return reply(child);
    },
    async close() {
      await client.end();
      child.send('close');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    child.once('error', fail);
    child.once('message', (message) => {
      child.off('error', fail);
      resolve(message as T);
    });
  });
}
