// Differential over joins: factories joined with their pipelines (a dependent join: one pipeline
// list per factory row, its params bound from the factory's columns), inner and LEFT, with random
// conditions in ON and WHERE on either side. skyql's answer must be exactly SQLite's over the whole
// fleet — or a coded refusal. SKYQL_JOIN_ROUNDS / SKYQL_JOIN_SEED run longer or replay.

import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreesOrRefuses } from '../../helpers/differential.ts';
import { allFactories, FLEET_SUBSCRIPTION } from '../../helpers/azure-fleet.ts';
import { fleetSuite } from '../../helpers/fleet-suite.ts';
import { rounds, seeded } from '../../helpers/rounds.ts';

const ROUNDS = rounds(150, 'SKYQL_JOIN_ROUNDS');
const SEED = Number(process.env.SKYQL_JOIN_SEED ?? 1);
/** Codes that mean "cannot be answered as written", never a wrong answer. */
const REFUSALS = new Set(['PLAN_NO_MATCHING_METHOD', 'PLAN_MISSING_PARAM', 'PLAN_UNSUPPORTED', 'SQL_UNSUPPORTED', 'PLAN_UNKNOWN_COLUMN']);
const SUB = FLEET_SUBSCRIPTION;

const suite = fleetSuite();
let reference: DatabaseSync;

beforeAll(() => {
  reference = new DatabaseSync(':memory:');
  // PostgreSQL's split_part (1-based), as skyql gives it to SQLite.
  reference.function('split_part', { deterministic: true }, (text, separator, n) => String(text).split(String(separator))[Number(n) - 1] ?? '');
  reference.exec('CREATE TABLE factories (subscriptionId TEXT, id TEXT, name TEXT, location TEXT, tags TEXT)');
  reference.exec('CREATE TABLE pipelines (subscriptionId TEXT, resourceGroupName TEXT, factoryName TEXT, id TEXT, name TEXT, properties TEXT)');
  const factory = reference.prepare('INSERT INTO factories VALUES (?, ?, ?, ?, ?)');
  const pipeline = reference.prepare('INSERT INTO pipelines VALUES (?, ?, ?, ?, ?, ?)');
  for (const entry of allFactories(suite.fleet)) {
    const { id, name, location, tags } = entry.factory;
    factory.run(SUB, id, name, location, JSON.stringify(tags));
    for (const p of entry.pipelines) pipeline.run(SUB, id.split('/')[4], name, p.id, p.name, JSON.stringify(p.properties));
  }
});
afterAll(() => reference.close());

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const some = <T>(items: readonly T[]): T[] => [...new Set(items.filter(() => next() < 0.4).concat(pick(items)))];
  const quoted = (value: string) => `'${value}'`;
  const FACTORIES = ['factory-a1', 'factory-a2', 'factory-b1', 'factory-c3', 'nope'];
  const PIPELINES = ['ingest-orders', 'transform-sales', 'export-report', 'cleanup-staging', 'nope'];
  const factoryAtoms = [
    () => `f.name = ${quoted(pick(FACTORIES))}`,
    () => `f.name IN (${some(FACTORIES).map(quoted).join(', ')})`,
    () => `f.name LIKE ${quoted(pick(['factory-a%', '%1', '%b%']))}`,
    () => `f.location = ${quoted(pick(['East US', 'West Europe', 'East US 2']))}`,
    () => `f.name LIKE '%' || lower(substr(f.location, 1, 1)) || '%'`,
    () => `json_extract(f.tags, '$.env') ${pick(["= 'prod'", "= 'dev'", 'IS NULL'])}`,
  ];
  const pipelineAtoms = [
    () => `p.name = ${quoted(pick(PIPELINES))}`,
    () => `p.name IN (${some(PIPELINES).map(quoted).join(', ')})`,
    () => `p.name <> ${quoted(pick(PIPELINES))}`,
    () => `p.name LIKE ${quoted(pick(['%-%s', 'ex%', '%o%']))}`,
    () => `json_array_length(p.properties, '$.activities') ${pick(['>', '=', '<'])} ${pick(['0', '1', '2'])}`,
    () => `p.id ${pick(['LIKE', 'NOT LIKE'])} '%' || f.name || '%'`,
    () => `p.name LIKE substr(f.name, 1, 0) || ${quoted(pick(['%s', 'ex%', '%-%']))}`,
  ];
  const condition = (atoms: readonly (() => string)[]) => {
    const parts = Array.from({ length: 1 + Math.floor(next() * 2) }, () => (next() < 0.15 ? `NOT (${pick(atoms)()})` : pick(atoms)()));
    return parts.join(pick([' AND ', ' OR ']));
  };
  const BINDINGS = [
    "p.factoryName = f.name AND p.resourceGroupName = split_part(f.id, '/', 5)",
    "p.resourceGroupName = split_part(f.id, '/', 5) AND p.factoryName = f.name",
  ];
  const TOTAL_ORDERS = new Map([
    ['f.name AS factory, p.name AS pipeline', ['factory, pipeline', 'pipeline DESC, factory', 'f.name DESC, p.name']],
    ['f.name AS factory, count(p.name) AS n', ['n DESC, factory', 'factory DESC']],
    ['DISTINCT p.name AS pipeline', ['pipeline', 'pipeline DESC']],
  ]);
  const SELECTS = [
    "f.name AS factory, p.name LIKE 'ex' || '%' AS exported, p.id LIKE '%' || f.name || '/%' AS bound",
    'f.name AS factory, p.name AS pipeline',
    'f.name AS factory, count(p.name) AS n',
    'count(*) AS n',
    'DISTINCT p.name AS pipeline',
  ];
  return () => {
    const left = next() < 0.35;
    const select = pick(SELECTS);
    // The pipelines' subscription in ON, or in WHERE (where, in a LEFT JOIN, it drops the factories without a match).
    const subscriptionInOn = next() < 0.5;
    const on = [pick(BINDINGS), ...(subscriptionInOn ? [`p.subscriptionId = '${SUB}'`] : []), ...(next() < 0.4 ? [`(${condition(pipelineAtoms)})`] : [])].join(
      ' AND ',
    );
    const where = [`f.subscriptionId = '${SUB}'`, ...(subscriptionInOn ? [] : [`p.subscriptionId = '${SUB}'`])];
    if (next() < 0.5) where.push(`(${condition(factoryAtoms)})`);
    // In a LEFT JOIN, a WHERE on the right side keeps only matched rows (or those it tests for NULL).
    if (next() < 0.3) where.push(`(${condition(pipelineAtoms)})`);
    const group = select.includes('count(p.name)') ? ' GROUP BY f.name' : '';
    // An order that is total over the rows (each factory's pipelines have distinct names), so a LIMIT picks the same rows.
    const orders = TOTAL_ORDERS.get(select);
    const order = orders && next() < 0.4 ? pick(orders) : undefined;
    const window = order
      ? ` ORDER BY ${order}${next() < 0.7 ? ` LIMIT ${1 + Math.floor(next() * 6)}${next() < 0.4 ? ` OFFSET ${Math.floor(next() * 4)}` : ''}` : ''}`
      : '';
    return { select, join: left ? 'LEFT JOIN' : 'JOIN', on, where, group, tail: `${group}${window}`, ordered: order !== undefined };
  };
}

describe('join differential: skyql (dependent lists + local join) = SQLite over the whole fleet', () => {
  it(`${ROUNDS} random joins of factories and their pipelines (seed ${SEED})`, async () => {
    const next = seeded(SEED);
    const statement = generator(next);
    let answered = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { select, join, on, where, tail, ordered } = statement();
      const sql = `SELECT ${select} FROM azure.data_factory.factories f ${join} azure.data_factory.pipelines p ON ${on} WHERE ${where.join(' AND ')}${tail}`;
      const expected = reference.prepare(`SELECT ${select} FROM factories f ${join} pipelines p ON ${on} WHERE ${where.join(' AND ')}${tail}`).all();
      if (await agreesOrRefuses(suite.engine, { sql, expected: expected as Record<string, unknown>[], ordered }, REFUSALS)) answered++;
    }
    expect(answered / ROUNDS).toBeGreaterThan(0.7);
  });
});
