import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.ts';
import { parseStatement } from '../../../src/sql/parse.ts';
import type { DescribeStatement, ShowStatement } from '../../../src/sql/ast.ts';
import type { LocalStatementPlan } from '../../../src/plan/types.ts';
import { errorOf } from '../../helpers/errors.ts';

const engine = createEngine({ endpoints: { azure: 'http://127.0.0.1:1' } });
const answer = (sql: string, vars = {}) => engine.plan(sql, { vars })[0].plan as LocalStatementPlan;
const names = (sql: string, vars = {}) => answer(sql, vars).rows.map((row) => row.name);

describe("StackQL's SHOW and DESCRIBE forms", () => {
  it('SHOW [EXTENDED] VERSION: the version, and with EXTENDED the runtime, SQLite and platform', () => {
    const plain = answer('SHOW VERSION');
    expect(plain.columns).toEqual(['version']);
    expect(plain.rows[0].version).toMatch(/^\d+\.\d+\.\d+/);
    const extended = answer('SHOW EXTENDED VERSION');
    expect(extended.columns).toEqual(['version', 'runtime', 'sqlite', 'platform']);
    expect(extended.rows[0].sqlite).toMatch(/^3\.\d+/);
  });

  it('SHOW … WHERE keeps the rows for which SQLite finds the condition true, placeholders included', () => {
    expect(names("SHOW SERVICES IN azure WHERE name LIKE 'data%' OR id = 'azure.resources'")).toEqual(['data_factory', 'resources']);
    expect(
      names("SHOW METHODS FROM azure.data_factory.factories WHERE accessible_by = '{{ verb }}' AND required_params LIKE '%factoryName%'", { verb: 'select' }),
    ).toEqual(['get']);
    expect(names("SHOW RESOURCES IN azure.data_factory WHERE name = 'no such'")).toEqual([]);
  });

  it('SHOW … WHERE on a column SHOW does not have is PLAN_UNKNOWN_COLUMN at the condition, naming the columns', () => {
    const sql = 'SHOW RESOURCES IN azure.data_factory WHERE nope = 1';
    const error = errorOf(() => engine.plan(sql));
    expect(error.code).toBe('PLAN_UNKNOWN_COLUMN');
    expect(error.hint).toContain('name, id, description');
    expect(error.span?.offset).toBe(sql.indexOf('nope'));
  });

  it('a WHERE value is a value: it cannot change the condition', () => {
    expect(names("SHOW SERVICES IN azure WHERE name = '{{ n }}'", { n: "x' OR '1'='1" })).toEqual([]);
  });

  it('SHOW EXTENDED INSERT notes, for each value, whether it is required, its type and what it is', () => {
    const statement = parseStatement('SHOW EXTENDED INSERT /*+ REQUIRED */ INTO azure.data_factory.pipelines_runs').statement as ShowStatement;
    expect(statement).toMatchObject({ target: 'insert', extended: true, requiredOnly: true });
    const text = String(answer('SHOW EXTENDED INSERT /*+ REQUIRED */ INTO azure.data_factory.pipelines_runs').rows[0].insert_statement);
    expect(text).toContain("'{{ factoryName }}', -- required, string: The factory name.");
    expect(text).toContain("'{{ pipelineName }}' -- required, string:");
    expect(String(answer('SHOW INSERT INTO azure.data_factory.pipelines_runs').rows[0].insert_statement)).not.toContain('--');
  });

  it("DESCRIBE METHOD EXTENDED (either order) adds each input's wire name and the request", () => {
    for (const sql of [
      'DESCRIBE METHOD EXTENDED azure.data_factory.pipelines_runs.create',
      'DESCRIBE EXTENDED METHOD azure.data_factory.pipelines_runs.create',
    ]) {
      expect(parseStatement(sql).statement as DescribeStatement).toMatchObject({ method: true, extended: true });
      const plan = answer(sql);
      expect(plan.columns).toEqual(['name', 'direction', 'required', 'in', 'type', 'rules', 'description', 'wire_name', 'http']);
      expect(plan.rows[0].http).toMatch(/^POST \/subscriptions\/\{subscriptionId\}\/.*\/createRun$/);
    }
    expect(answer('DESCRIBE METHOD azure.data_factory.pipelines_runs.create').columns).not.toContain('http');
  });
});
