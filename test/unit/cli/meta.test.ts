import { describe, expect, it } from 'vitest';
import { applyMeta, parseMeta, type ShellSettings } from '../../../src/cli/meta.ts';

const settings = (): ShellSettings => ({ output: 'table', expanded: false, timing: false, pager: true, vars: {} });

describe('meta-commands', () => {
  it('backslash commands anywhere; help, quit, exit and dot commands only at the start of a statement', () => {
    expect(parseMeta('\\x', false)).toEqual({ name: '\\x', args: [] });
    expect(parseMeta('  \\d azure.data_factory.factories ', true)).toEqual({ name: '\\d', args: ['azure.data_factory.factories'] });
    expect(parseMeta('help', true)).toEqual({ name: 'help', args: [] });
    expect(parseMeta('help', false)).toBeUndefined();
    expect(parseMeta('quit;', true)).toEqual({ name: 'quit', args: [] });
    expect(parseMeta('.mode json', true)).toEqual({ name: '.mode', args: ['json'] });
    expect(parseMeta('SELECT 1;', true)).toBeUndefined();
    expect(parseMeta('exit_code = 1', true)).toBeUndefined();
  });

  it('\\d follows the depth of the name: providers, services, resources, DESCRIBE, DESCRIBE METHOD', () => {
    const sql = (line: string) => applyMeta(parseMeta(line, true)!, settings());
    expect(sql('\\d')).toEqual({ kind: 'sql', sql: 'SHOW PROVIDERS;' });
    expect(sql('\\d azure')).toEqual({ kind: 'sql', sql: 'SHOW SERVICES IN azure;' });
    expect(sql('\\d azure.data_factory')).toEqual({ kind: 'sql', sql: 'SHOW RESOURCES IN azure.data_factory;' });
    expect(sql('\\d azure.data_factory.factories')).toEqual({ kind: 'sql', sql: 'DESCRIBE azure.data_factory.factories;' });
    expect(sql('\\d+ azure.data_factory.factories')).toEqual({ kind: 'sql', sql: 'DESCRIBE EXTENDED azure.data_factory.factories;' });
    expect(sql('\\d azure.data_factory.pipelines_runs.create')).toEqual({ kind: 'sql', sql: 'DESCRIBE METHOD azure.data_factory.pipelines_runs.create;' });
  });

  it('\\x, \\timing and \\pager toggle or take on/off; \\o and .mode set the format', () => {
    const state = settings();
    expect(applyMeta({ name: '\\x', args: [] }, state)).toEqual({ kind: 'print', text: 'Expanded display is on.\n' });
    expect(state.expanded).toBe(true);
    expect(applyMeta({ name: '\\x', args: ['auto'] }, state)).toEqual({ kind: 'print', text: 'Expanded display is used automatically.\n' });
    expect(state.expanded).toBe('auto');
    applyMeta({ name: '\\timing', args: ['on'] }, state);
    applyMeta({ name: '\\pager', args: ['off'] }, state);
    expect([state.timing, state.pager]).toEqual([true, false]);
    applyMeta({ name: '\\o', args: ['json'] }, state);
    expect(state.output).toBe('json');
    applyMeta({ name: '.mode', args: ['CSV'] }, state);
    expect(state.output).toBe('csv');
    expect(applyMeta({ name: '\\o', args: ['xml'] }, state)).toMatchObject({ kind: 'print', error: true });
    expect(applyMeta({ name: '\\o', args: [] }, state)).toEqual({ kind: 'print', text: 'Output format is csv.\n' });
  });

  it('\\set and \\unset change {{ vars }}; \\set alone lists them', () => {
    const state = settings();
    applyMeta({ name: '\\set', args: ['rg', "'my", "rg'"] }, state);
    applyMeta({ name: '\\set', args: ['sub', '0000'] }, state);
    expect(state.vars).toEqual({ rg: 'my rg', sub: '0000' });
    expect(applyMeta({ name: '\\set', args: [] }, state)).toEqual({ kind: 'print', text: 'rg = "my rg"\nsub = "0000"\n' });
    applyMeta({ name: '\\unset', args: ['rg'] }, state);
    expect(state.vars).toEqual({ sub: '0000' });
  });

  it('quit, reset, run a file, help, and an unknown command', () => {
    for (const name of ['\\q', 'quit', 'exit', '.quit']) expect(applyMeta({ name, args: [] }, settings())).toEqual({ kind: 'quit' });
    expect(applyMeta({ name: '\\r', args: [] }, settings())).toEqual({ kind: 'reset' });
    expect(applyMeta({ name: '\\i', args: ['my', 'file.sql'] }, settings())).toEqual({ kind: 'file', file: 'my file.sql' });
    expect(applyMeta({ name: '\\?', args: [] }, settings())).toMatchObject({ kind: 'print', text: expect.stringContaining('\\timing') });
    expect(applyMeta({ name: '\\zz', args: [] }, settings())).toMatchObject({ kind: 'print', error: true });
  });
});

describe('aliases people bring from psql and sqlite3', () => {
  it('\\dt, .tables and .schema list and describe as \\d does; \\quit and .timer', () => {
    const state: ShellSettings = { output: 'table', expanded: false, timing: false, pager: true, vars: {} };
    expect(applyMeta(parseMeta('\\dt azure.data_factory', true)!, state)).toEqual({ kind: 'sql', sql: 'SHOW RESOURCES IN azure.data_factory;' });
    expect(applyMeta(parseMeta('.tables azure', true)!, state)).toEqual({ kind: 'sql', sql: 'SHOW SERVICES IN azure;' });
    expect(applyMeta(parseMeta('.schema azure.data_factory.factories', true)!, state)).toEqual({ kind: 'sql', sql: 'DESCRIBE azure.data_factory.factories;' });
    expect(applyMeta(parseMeta('\\quit', true)!, state)).toEqual({ kind: 'quit' });
    applyMeta(parseMeta('.timer on', true)!, state);
    expect(state.timing).toBe(true);
  });
});
