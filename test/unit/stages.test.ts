// Each stage on its own, through the library's exports only, as the README shows it: parse a
// statement, resolve and plan it against a registry, print the plan's requests, run a plan,
// format rows. Nothing here reaches into src/ beyond src/index.ts.

import { describe, expect, it } from 'vitest';
import { formatResult, parseStatement, plannedRequests, planStatement, Registry, renderRequestLine, type PlannedStatement } from '../../src/index.ts';
import { allFactories, FLEET_SUBSCRIPTION } from '../helpers/azure-fleet.ts';
import { fleetSuite } from '../helpers/fleet-suite.ts';

const SUB = FLEET_SUBSCRIPTION;
const SQL = `SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}' AND location = 'West Europe'`;
const suite = fleetSuite();

describe('the stages, one at a time', () => {
  it('sql: parseStatement gives the statement as data, with where it came from', () => {
    const parsed = parseStatement(SQL);
    expect(parsed.statement.kind).toBe('select');
    expect(parsed.placeholders).toEqual([]);
    expect(parsed.text.slice(parsed.span.offset, parsed.span.offset + parsed.span.length)).toBe(SQL);
  });

  it('registry + plan: planStatement gives a plain value, the exact request, with nothing sent', () => {
    const plan = planStatement(parseStatement(SQL), new Registry(), { vars: {}, endpoints: { azure: suite.server.origin }, now: () => new Date() });
    expect(plan.kind).toBe('select');
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    const [request] = plannedRequests(plan);
    expect(request).toMatchObject({
      method: 'GET',
      url: `${suite.server.origin}/subscriptions/${SUB}/providers/Microsoft.DataFactory/factories?api-version=2018-06-01`,
    });
    expect(JSON.parse(renderRequestLine(request))).toMatchObject({ method: 'GET', headers: { authorization: expect.stringMatching(/^Bearer <token for /) } });
    expect(suite.server.requests).toEqual([]);
  });

  it('exec + output: an engine runs a plan it made, and formatResult prints the rows', async () => {
    const [planned]: PlannedStatement[] = suite.engine.plan(SQL);
    const result = await suite.engine.execute(planned);
    const expected = allFactories(suite.fleet).filter((entry) => entry.factory.location === 'West Europe');
    expect(expected.length).toBeGreaterThan(0);
    expect(result.rows.length).toBe(expected.length);
    const csv = formatResult(result, 'csv').trim().split('\r\n');
    expect(csv[0]).toBe('name,location');
    expect(csv.slice(1).sort()).toEqual(expected.map((entry) => `${entry.factory.name},West Europe`).sort());
  });
});
