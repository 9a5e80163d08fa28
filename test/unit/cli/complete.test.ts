import { afterAll, describe, expect, it } from 'vitest';
import { complete } from '../../../src/cli/complete.ts';
import { engineCatalog } from '../../../src/cli/shell.ts';
import { createEngine } from '../../../src/engine.ts';

const engine = createEngine({ cacheDir: false });
const catalog = engineCatalog(engine);
afterAll(() => engine.close());

/** Completions of a line typed at the prompt (the cursor at its end). */
const tab = (line: string, earlier = '') => complete(line, earlier + line, catalog);

describe('shell completion', () => {
  it('names after FROM, level by level, a name with children ending in "."', () => {
    expect(tab('SELECT name FROM az')).toEqual([['azure.'], 'az']);
    expect(tab('SELECT name FROM azure.data_f')).toEqual([['azure.data_factory.'], 'azure.data_f']);
    expect(tab('select * from azure.data_factory.factories_r')).toEqual([['azure.data_factory.factories_repos'], 'azure.data_factory.factories_r']);
    expect(tab('select * from azure.data_factory.fac')[0]).toContain('azure.data_factory.factories');
    expect(tab('DESCRIBE azure.sub')[0]).toEqual(['azure.subscriptions.']);
  });

  it('methods after EXEC and DESCRIBE METHOD; @params of the method', () => {
    expect(tab('EXEC azure.data_factory.pipeline_runs.ca')[0]).toEqual(['azure.data_factory.pipeline_runs.cancel']);
    expect(tab('EXEC azure.data_factory.pipeline_runs.cancel @f')[0]).toEqual(['@factoryName']);
    expect(tab("EXEC azure.data_factory.pipeline_runs.cancel @subscriptionId='s' @run")[0]).toEqual(['@runId']);
  });

  it('columns and params of the resources in FROM, also on a later line, then keywords', () => {
    const [after] = tab('WHERE resourceG', 'SELECT name\nFROM azure.data_factory.factories\n');
    expect(after).toEqual(['resourceGroupName']);
    expect(complete('SELECT na', 'SELECT na FROM azure.data_factory.factories', catalog)[0]).toEqual(['name']);
    expect(complete('SELECT f.loc', 'SELECT f.loc FROM azure.data_factory.factories f', catalog)[0]).toEqual(['f.location']);
    expect(tab('SEL')[0]).toEqual(['SELECT']);
    expect(tab('sel')[0]).toEqual(['select']);
  });

  it('meta-commands, \\d names and \\o formats', () => {
    expect(tab('\\ti')[0]).toEqual(['\\timing']);
    expect(tab('\\d azure.data_factory.pipelines_runs.cr')[0]).toEqual(['azure.data_factory.pipelines_runs.create']);
    expect(tab('\\o js')[0]).toEqual(['json', 'jsonl']);
  });

  it('nothing inside a string, and nothing for unknown names', () => {
    expect(tab("SELECT 'azure.da")[0]).toEqual([]);
    expect(tab('SELECT * FROM nope.x')[0]).toEqual([]);
  });
});
