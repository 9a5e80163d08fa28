// Lists: pipeline runs (queryPipelineRuns, continuationToken, 100 per page) and factories
// (nextLink, 100 per page). Each contender projects the same columns and drops the rows; the
// `-star` scenarios take every column, as users write `SELECT *` (skyql gives objects as JSON
// text; the floor, undici, parses the JSON and follows the pages, nothing more).

import { listFactoriesSql, listFactoriesStarSql, listRunsSql, listRunsStarSql } from '../contenders/sql.ts';
import type { Api } from '../contenders/api.ts';
import { CLI, AFTER, cliFlags, poolSum, type Config, type Scenario } from './types.ts';

const PAGE = 100;
export const runsFactory = (total: number) => `bench-n${total}`;
/** The mock reads the factory count from the subscription id's last group. */
export const factoriesSubscription = (total: number) => `00000000-0000-0000-0000-${String(total).padStart(12, '0')}`;

function listRuns(total: number, latency: number): Scenario {
  return {
    name: `list-runs${latency ? `@${latency}ms` : ''}`,
    title: `list ${total.toLocaleString('en')} pipeline runs (${PAGE}/page, continuationToken)${latency ? `, +${latency} ms latency` : ''}`,
    latency,
    ops: total / PAGE,
    unit: 'call',
    rows: total,
    expect: total,
    contenders: latency ? ['skyql', 'undici', 'sdk'] : ['skyql', 'skyql-cli', 'undici', 'sdk'],
    targets: { skyql: [latency ? { kind: 'wall-ratio', vs: 'undici', max: 1.05 } : { kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
    warmup: (api) => api.listRuns(runsFactory(latency ? 1_000 : total), AFTER, () => {}),
    run: (api) => api.listRuns(runsFactory(total), AFTER, () => {}),
    command(_contender, { target }) {
      const flags = cliFlags(target.origin);
      return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, listRunsSql(target, runsFactory(total), AFTER)], env: flags.env, lines: total };
    },
  };
}

function listFactories(total: number, latency: number): Scenario {
  return {
    name: `list-factories${latency ? `@${latency}ms` : ''}`,
    title: `list ${total.toLocaleString('en')} factories (${PAGE}/page, nextLink)${latency ? `, +${latency} ms latency` : ''}`,
    latency,
    ops: total / PAGE,
    unit: 'call',
    rows: total,
    expect: total,
    contenders: latency ? ['skyql', 'undici', 'sdk'] : ['skyql', 'skyql-cli', 'undici', 'sdk'],
    targets: { skyql: [latency ? { kind: 'wall-ratio', vs: 'undici', max: 1.05 } : { kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
    warmup: (api) => api.listFactories(factoriesSubscription(latency ? 1_000 : total), () => {}),
    run: (api) => api.listFactories(factoriesSubscription(total), () => {}),
    command(_contender, { target }) {
      const flags = cliFlags(target.origin);
      return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, listFactoriesSql(factoriesSubscription(total))], env: flags.env, lines: total };
    },
  };
}

function listRunsStar(total: number, latency: number): Scenario {
  return {
    name: `list-runs-star${latency ? `@${latency}ms` : ''}`,
    title: `SELECT * of ${total.toLocaleString('en')} pipeline runs (${PAGE}/page, continuationToken)${latency ? `, +${latency} ms latency` : ''}`,
    latency,
    ops: total / PAGE,
    unit: 'call',
    rows: total,
    expect: total,
    contenders: latency ? ['skyql', 'undici', 'sdk'] : ['skyql', 'skyql-cli', 'undici', 'sdk'],
    targets: { skyql: [latency ? { kind: 'wall-ratio', vs: 'undici', max: 1.05 } : { kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
    warmup: (api) => api.listRunsAll(runsFactory(latency ? 1_000 : total), AFTER, () => {}),
    run: (api) => api.listRunsAll(runsFactory(total), AFTER, () => {}),
    command(_contender, { target }) {
      const flags = cliFlags(target.origin);
      return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, listRunsStarSql(target, runsFactory(total), AFTER)], env: flags.env, lines: total };
    },
  };
}

function listFactoriesStar(total: number, latency: number): Scenario {
  return {
    name: `list-factories-star${latency ? `@${latency}ms` : ''}`,
    title: `SELECT * of ${total.toLocaleString('en')} factories (${PAGE}/page, nextLink)${latency ? `, +${latency} ms latency` : ''}`,
    latency,
    ops: total / PAGE,
    unit: 'call',
    rows: total,
    expect: total,
    contenders: latency ? ['skyql', 'undici', 'sdk'] : ['skyql', 'skyql-cli', 'undici', 'sdk'],
    targets: { skyql: [latency ? { kind: 'wall-ratio', vs: 'undici', max: 1.05 } : { kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
    warmup: (api) => api.listFactoriesAll(factoriesSubscription(latency ? 1_000 : total), () => {}),
    run: (api) => api.listFactoriesAll(factoriesSubscription(total), () => {}),
    command(_contender, { target }) {
      const flags = cliFlags(target.origin);
      return { args: [CLI, 'exec', '-o', 'jsonl', ...flags.args, listFactoriesStarSql(factoriesSubscription(total))], env: flags.env, lines: total };
    },
  };
}

/** The same SELECT through `skyql serve` (node-postgres client) and through the library in-process. */
function wireRuns(total: number): Scenario {
  const repeats = 5;
  const selectAll = async (api: Api, times: number) => {
    let rows = 0;
    for (let i = 0; i < times; i++) rows += await api.listRuns(runsFactory(total), AFTER, () => {});
    return rows;
  };
  return {
    name: 'wire-select',
    title: `a ${total.toLocaleString('en')}-row SELECT of pipeline runs, ${repeats} times: through the PostgreSQL wire server (the server process's CPU; node-postgres client) vs the library`,
    latency: 0,
    ops: total * repeats,
    unit: 'row',
    rows: total * repeats,
    expect: total * repeats,
    contenders: ['skyql', 'skyql-wire'],
    targets: { 'skyql-wire': [{ kind: 'cpu-ratio', vs: 'skyql', max: 1.3 }] },
    // A server runs for a long time: both contenders are judged in their steady state, after the
    // work ten times (after one, V8 is still compiling the server's code on its background threads).
    warmup: (api) => selectAll(api, 10),
    run: (api) => selectAll(api, repeats),
  };
}

/** Lists read at once: an app or a dashboard querying many factories' runs (or many subscriptions) together. */
const IN_FLIGHT = 32;

/**
 * `SELECT *` of `each` rows, `queries` times, 32 queries in flight: many short lists at once,
 * where per-query costs (planning, a local database) and the garbage of 32 pages at a time show,
 * which one long list hides.
 */
function listStarConcurrent(kind: 'runs' | 'factories', each: number, queries: number): Scenario {
  const one = (api: Api, onPage: (rows: readonly unknown[]) => void) =>
    kind === 'runs' ? api.listRunsAll(runsFactory(each), AFTER, onPage) : api.listFactoriesAll(factoriesSubscription(each), onPage);
  const all = (api: Api) => poolSum(queries, IN_FLIGHT, () => one(api, () => {}));
  return {
    name: `list-${kind}-star-c${IN_FLIGHT}`,
    title: `SELECT * of ${each.toLocaleString('en')} ${kind === 'runs' ? 'pipeline runs' : 'factories'} (${PAGE}/page), ${queries.toLocaleString('en')} times, ${IN_FLIGHT} queries in flight`,
    latency: 0,
    ops: (each / PAGE) * queries,
    unit: 'call',
    rows: each * queries,
    expect: each * queries,
    contenders: ['skyql', 'undici', 'sdk'],
    targets: { skyql: [{ kind: 'cpu-ratio', vs: 'undici', max: 1.2 }] },
    warmup: all,
    run: all,
  };
}

export function listScenarios(config: Config): Scenario[] {
  const runs = config.quick ? 1_000 : 10_000;
  const factories = config.quick ? 500 : 5_000;
  // 600 queries (3,000 pages, ≈ 1 s): after 200, V8 was still compiling (the next 200 cost both
  // contenders 1.3–1.5× their steady CPU a page), and 200 were too few for the window to hold its
  // share of major collections (one every ≈ 1,500 pages): a run's figure depended on whether one fell in it.
  const queries = config.quick ? 40 : 600;
  const scenarios = [
    listRuns(runs, 0),
    listFactories(factories, 0),
    listRunsStar(runs, 0),
    listFactoriesStar(factories, 0),
    listStarConcurrent('runs', 500, queries),
    listStarConcurrent('factories', 500, queries),
    wireRuns(runs),
  ];
  if (config.latency > 0)
    scenarios.push(
      listRuns(runs, config.latency),
      listFactories(factories, config.latency),
      listRunsStar(runs, config.latency),
      listFactoriesStar(factories, config.latency),
    );
  return scenarios;
}
