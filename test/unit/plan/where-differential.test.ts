// Differential: random WHERE expressions (AND/OR/NOT, =, IN, <, LIKE, IS NULL, parentheses, odd
// whitespace) over the fake fleet. skyql's answer (params pushed into requests + the rest in
// SQLite) must be exactly the rows SQLite returns for the same WHERE over the whole data set —
// or a coded error saying the statement cannot be answered as written. Never a different answer.
// SKYQL_WHERE_ROUNDS / SKYQL_WHERE_SEED run longer or replay; npm run test:all runs ten times the default.

import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/index.ts';
import { defaultFleet, FLEET_SUBSCRIPTION, fleetHandlers, type Fleet } from '../../helpers/azure-fleet.ts';
import { fakeCredential } from '../../helpers/credential.ts';
import { rejectionOf } from '../../helpers/errors.ts';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';
import { agreesOrRefuses } from '../../helpers/differential.ts';
import { rounds, seeded } from '../../helpers/rounds.ts';

const ROUNDS = rounds(300, 'SKYQL_WHERE_ROUNDS');
const SEED = Number(process.env.SKYQL_WHERE_SEED ?? 1);
/** Codes that mean "cannot be answered as written", never a wrong answer. */
const REFUSALS = new Set(['PLAN_NO_MATCHING_METHOD', 'PLAN_MISSING_PARAM']);

let fleet: Fleet;
let server: MockServer;
let engine: Engine;
let reference: DatabaseSync;

beforeAll(async () => {
  fleet = defaultFleet();
  server = await startMockServer(fleetHandlers(fleet));
  engine = createEngine({ credential: fakeCredential(), endpoints: { azure: server.origin }, pacing: false });
  reference = new DatabaseSync(':memory:');
  reference.exec('CREATE TABLE factories (subscriptionId, resourceGroupName, name, location, type, tags)');
  const insert = reference.prepare('INSERT INTO factories VALUES (?, ?, ?, ?, ?, ?)');
  for (const subscription of fleet.subscriptions) {
    for (const group of subscription.resourceGroups) {
      for (const { factory } of group.factories)
        insert.run(subscription.subscriptionId, group.name, factory.name, factory.location, factory.type, JSON.stringify(factory.tags));
    }
  }
});
afterAll(async () => {
  await engine.close();
  await server.close();
  reference.close();
});

const NAMES = ['factory-a1', 'factory-a2', 'factory-a3', 'factory-b1', 'factory-b2', 'factory-c1', 'factory-c3', 'nope'];
const GROUPS = ['rg-a', 'rg-b', 'rg-c'];

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const some = <T>(items: readonly T[]): T[] =>
    items
      .filter(() => next() < 0.4)
      .slice(0, 3)
      .concat(pick(items));
  const quoted = (value: string) => `'${value}'`;
  const atoms: (() => string)[] = [
    () => `name = ${quoted(pick(NAMES))}`,
    () => `name IN (${[...new Set(some(NAMES))].map(quoted).join(', ')})`,
    () => `name ${pick(['<', '>', '<=', '>=', '<>'])} ${quoted(pick(NAMES))}`,
    () => `name LIKE ${quoted(pick(['factory-a%', '%1', 'factory-_2', '%b%']))}`,
    () => `location = ${quoted(pick(['East US', 'West Europe', 'East US 2']))}`,
    () => `json_extract(tags, '$.env') = ${quoted(pick(['prod', 'dev', 'test']))}`,
    () => `json_extract(tags, '$.env') IS ${pick(['NULL', 'NOT NULL'])}`,
    () => `resourceGroupName = ${quoted(pick(GROUPS))}`,
    () => `resourceGroupName IN (${[...new Set(some(GROUPS))].map(quoted).join(', ')})`,
    () => `subscriptionId = ${quoted(FLEET_SUBSCRIPTION)}`,
    // The collation after the literal (SQLite's form), on a field and on a param.
    () => `name ${pick(['=', '<>', '<', '>='])} ${quoted(pick(NAMES).toUpperCase())} COLLATE NOCASE`,
    () => `location = ${quoted(pick(['east us', 'WEST EUROPE', 'East US']))} COLLATE ${pick(['NOCASE', 'BINARY', 'RTRIM'])}`,
    () => `resourceGroupName = ${quoted(pick(GROUPS).toUpperCase())} COLLATE NOCASE`,
  ];
  const space = () => pick([' ', ' ', ' ', '\n  ', '  ', ' /* c */ ']);
  const expression = (depth: number): string => {
    const count = 1 + Math.floor(next() * (depth > 1 ? 2 : 4));
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      let operand = depth < 2 && next() < 0.25 ? `(${expression(depth + 1)})` : pick(atoms)();
      if (next() < 0.15) operand = `NOT ${operand.startsWith('(') ? operand : `(${operand})`}`;
      parts.push(operand);
    }
    return parts.map((part, i) => (i === 0 ? part : `${space()}${pick(['AND', 'AND', 'OR'])}${space()}${part}`)).join('');
  };
  /** A WHERE that usually names the subscription and sometimes a group at its top level. */
  return () => {
    const front = [`subscriptionId = ${quoted(FLEET_SUBSCRIPTION)}`];
    if (next() < 0.4) front.push(pick(atoms.slice(7, 9))());
    const tail = expression(0);
    const wrapped = next() < 0.3 ? `(${tail})` : tail;
    return `${front.join(' AND ')} AND ${wrapped}`;
  };
}

describe('WHERE differential: skyql (pushdown + local) = SQLite over the full data set', () => {
  it("AND inside OR is not taken as a request param; a param named but not given is read from each row's id", async () => {
    const where = `subscriptionId = '${FLEET_SUBSCRIPTION}' AND (name = 'factory-a1' OR name = 'factory-b1' AND resourceGroupName = 'rg-b')`;
    const { rows } = await engine.query(`SELECT name FROM azure.data_factory.factories WHERE ${where}`);
    expect(rows.map((row) => row.name).sort()).toEqual(['factory-a1', 'factory-b1']);
  });

  it(`${ROUNDS} random WHERE expressions (seed ${SEED})`, async () => {
    const next = seeded(SEED);
    const where = generator(next);
    let answered = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const condition = where();
      const expected = reference.prepare(`SELECT name FROM factories WHERE ${condition}`).all() as Record<string, unknown>[];
      const sql = `SELECT name FROM azure.data_factory.factories WHERE ${condition}`;
      if (await agreesOrRefuses(engine, { sql, expected }, REFUSALS)) answered++;
    }
    // The test means something only if most statements were answered.
    expect(answered / ROUNDS).toBeGreaterThan(0.5);
  });

  it('joins: an ON condition of a LEFT JOIN on the left side never narrows the left side', async () => {
    const sql = `SELECT f.name AS factory, g.name AS twin FROM azure.data_factory.factories f
      LEFT JOIN azure.data_factory.factories g ON g.resourceGroupName = 'rg-a' AND f.resourceGroupName = 'rg-a' AND g.name = f.name
      WHERE subscriptionId = '${FLEET_SUBSCRIPTION}'`;
    // The left side is listed by subscription, where a factory row has no resourceGroupName: the
    // honest answer is an error, never the three rg-a factories a pushed-down condition would give.
    const error = await rejectionOf(engine.query(sql));
    expect(error.code).toBe('PLAN_UNKNOWN_COLUMN');
    const inner = await engine.query(sql.replace('LEFT JOIN', 'JOIN'));
    expect(inner.rows.map((row) => row.factory).sort()).toEqual(['factory-a1', 'factory-a2', 'factory-a3']);
  });

  it('conditions that give one param twice: the values they all allow', async () => {
    const sub = `subscriptionId = '${FLEET_SUBSCRIPTION}'`;
    const names = async (where: string) =>
      (await engine.query(`SELECT name FROM azure.data_factory.factories WHERE ${where}`)).rows.map((row) => row.name).sort();
    expect(await names(`${sub} AND resourceGroupName IN ('rg-a', 'rg-b') AND resourceGroupName IN ('rg-b', 'rg-c')`)).toEqual(['factory-b1', 'factory-b2']);
    expect(await names(`${sub} AND resourceGroupName = 'rg-a' AND resourceGroupName = 'rg-b'`)).toEqual([]);
    expect(await names(`${sub} AND (${sub})`)).toHaveLength(8);
  });
});
