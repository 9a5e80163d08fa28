// What clients send on connecting, answered without pretending to be PostgreSQL beyond it.

import { describe, expect, it } from 'vitest';
import { answerLocally } from '../../../src/server/compat.ts';
import { defaultSettings, Session } from '../../../src/server/session.ts';

const FACTS = { version: '1.2.3', database: 'skyql', user: 'alice', processId: 42 };
const session = () => new Session(defaultSettings({ user: 'alice', applicationName: 'psql', readOnly: false, version: '1.2.3' }));

describe('answerLocally', () => {
  it("leaves skyql's statements to skyql", () => {
    for (const sql of [
      'SELECT name FROM azure.data_factory.factories',
      'SHOW PROVIDERS',
      'SHOW EXTENDED METHODS IN a.b.c',
      'SELECT 1',
      'DESCRIBE a.b.c',
      'INSERT INTO a.b.c (x) VALUES (1)',
    ]) {
      expect(answerLocally(sql, session(), FACTS)).toBeUndefined();
    }
  });

  it('SET and SHOW settings; SET var.name gives a template variable to this session only', () => {
    const mine = session();
    expect(answerLocally("SET application_name = 'dbeaver'", mine, FACTS)).toMatchObject({ kind: 'command', tag: 'SET' });
    expect(answerLocally('SHOW application_name', mine, FACTS)).toMatchObject({ kind: 'rows', rows: [{ application_name: 'dbeaver' }] });
    answerLocally("SET var.subscriptionId TO 'abc'", mine, FACTS);
    expect(mine.vars()).toEqual({ subscriptionId: 'abc' });
    expect(session().vars()).toEqual({});
    answerLocally('RESET ALL', mine, FACTS);
    expect(mine.vars()).toEqual({});
    expect(answerLocally('SHOW no_such_setting', mine, FACTS)).toMatchObject({ kind: 'error', sqlstate: '42704' });
    expect(answerLocally("SET TIME ZONE 'Europe/Paris'", mine, FACTS)).toMatchObject({ kind: 'command', tag: 'SET' });
    expect(mine.settings.get('timezone')).toBe('Europe/Paris');
  });

  it("a probe named like a member of Object.prototype is no probe: skyql's to answer; an alias of that name is the column's", () => {
    for (const sql of ['SELECT constructor()', 'SELECT __proto__()', 'select constructor', 'SELECT hasOwnProperty()']) {
      expect(answerLocally(sql, session(), FACTS), sql).toBeUndefined();
    }
    const answer = answerLocally('SELECT version() AS __proto__', session(), FACTS);
    expect(answer).toMatchObject({ kind: 'rows', columns: ['__proto__'] });
    const [row] = (answer as unknown as { rows: object[] }).rows;
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toMatch(/skyql 1\.2\.3/);
  });

  it('version and identity probes; catalog queries have no rows but their columns', () => {
    expect(answerLocally('select version()', session(), FACTS)).toMatchObject({
      kind: 'rows',
      columns: ['version'],
      rows: [{ version: expect.stringContaining('skyql 1.2.3') }],
    });
    expect(answerLocally('SELECT current_schema(), session_user AS who', session(), FACTS)).toMatchObject({
      columns: ['current_schema', 'who'],
      rows: [{ current_schema: 'public', who: 'alice' }],
    });
    expect(answerLocally("SELECT current_setting('server_version')", session(), FACTS)).toMatchObject({ rows: [{ current_setting: '15.0' }] });
    expect(answerLocally('SELECT n.nspname AS schema, c.relname, count(*) FROM pg_catalog.pg_class c JOIN pg_namespace n ON true', session(), FACTS)).toEqual({
      kind: 'rows',
      columns: ['schema', 'relname', 'count'],
      rows: [],
    });
  });

  it('transaction control is accepted and does nothing; COPY is refused', () => {
    expect(answerLocally('BEGIN', session(), FACTS)).toMatchObject({ tag: 'BEGIN', effect: 'begin' });
    expect(answerLocally('START TRANSACTION READ ONLY', session(), FACTS)).toMatchObject({ tag: 'BEGIN' });
    expect(answerLocally('COMMIT', session(), FACTS)).toMatchObject({ tag: 'COMMIT', effect: 'end' });
    expect(answerLocally('ROLLBACK TO SAVEPOINT a', session(), FACTS)).toEqual({ kind: 'command', tag: 'ROLLBACK' });
    expect(answerLocally('COPY (SELECT 1) TO STDOUT', session(), FACTS)).toMatchObject({ kind: 'error', sqlstate: '0A000' });
  });
});
