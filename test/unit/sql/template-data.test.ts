import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.ts';
import { placeholderVars, readDataBlock } from '../../../src/sql/template-data.ts';
import { parseScript } from '../../../src/sql/parse.ts';
import { errorOf } from '../../helpers/errors.ts';

describe('placeholderVars', () => {
  const data = {
    global: { project: 'p1', labels: { env: 'dev' } },
    firewalls: [{ name: 'fw-a', ports: [80, 443] }, { name: 'fw-b' }],
    $filter: "name eq 'x'",
    'a.b': 'flat wins',
    a: { b: 'nested' },
    n: 5,
    off: false,
    none: null,
  };

  it('picks a var by its exact name first, then by path', () => {
    expect(placeholderVars(['$filter', 'a.b', '.a.b', 'n', 'off', 'none'], data)).toEqual({
      $filter: "name eq 'x'",
      'a.b': 'flat wins',
      '.a.b': 'flat wins',
      n: 5,
      off: false,
      none: null,
    });
  });

  it('follows .paths and [indexes] into nested values', () => {
    expect(placeholderVars(['.global.project', 'global.project', 'firewalls[1].name', '.firewalls[0].ports[1]'], data)).toEqual({
      '.global.project': 'p1',
      'global.project': 'p1',
      'firewalls[1].name': 'fw-b',
      '.firewalls[0].ports[1]': 443,
    });
  });

  it('an object or array is its JSON text', () => {
    expect(placeholderVars(['.global.labels', 'firewalls[0].ports'], data)).toEqual({ '.global.labels': '{"env":"dev"}', 'firewalls[0].ports': '[80,443]' });
  });

  it('a path that leads nowhere has no value (missing, not empty)', () => {
    expect(placeholderVars(['.global.nope', 'firewalls[2].name', 'n.x', 'firewalls.name', 'global[0]', 'toString', '.constructor'], data)).toEqual({});
  });
});

describe('readDataBlock', () => {
  it('reads a leading <<<json block and blanks it, keeping offsets', () => {
    const script = '<<<json\n{ "project": "p" }\n>>>\nSELECT 1;';
    const read = readDataBlock(script);
    expect(read.data).toEqual({ project: 'p' });
    expect(read.text.length).toBe(script.length);
    expect(read.text.indexOf('SELECT')).toBe(script.indexOf('SELECT'));
    expect(read.text.split('\n').length).toBe(script.split('\n').length);
  });

  it('a script without a block is returned as it is', () => {
    expect(readDataBlock("SELECT '<<<json'")).toEqual({ text: "SELECT '<<<json'" });
  });

  it('jsonnet is SQL_UNSUPPORTED; bad JSON, a non-object or no closing line is TPL_INVALID without the content', () => {
    expect(errorOf(() => readDataBlock('<<<jsonnet\n{}\n>>>\nSELECT 1')).code).toBe('SQL_UNSUPPORTED');
    const bad = errorOf(() => readDataBlock('<<<json\n{ "secret": hunter2 }\n>>>\nSELECT 1'));
    expect(bad.code).toBe('TPL_INVALID');
    expect(bad.message).not.toContain('hunter2');
    expect(bad.span?.line).toBe(2);
    expect(errorOf(() => readDataBlock('<<<json\n[1]\n>>>\n')).code).toBe('TPL_INVALID');
    expect(errorOf(() => readDataBlock('<<<json\n{}\nSELECT 1')).code).toBe('TPL_INVALID');
    expect(errorOf(() => readDataBlock('<<<yaml\na: 1\n>>>\n')).code).toBe('TPL_INVALID');
  });

  it('parseScript gives every statement the block, and positions after it are unchanged', () => {
    const script = '<<<json\n{ "service": { "version": "v1" } }\n>>>\nSELECT 1;\nSELECT x FROM a.b.c WHERE v = \'{{ .service.version }}\';';
    const statements = parseScript(script);
    expect(statements).toHaveLength(2);
    expect(statements.map((statement) => statement.data)).toEqual([{ service: { version: 'v1' } }, { service: { version: 'v1' } }]);
    expect(statements[1].placeholders).toEqual(['.service.version']);
    expect(statements[1].span.offset).toBe(script.indexOf('SELECT x'));
  });
});

describe('engine: StackQL-style template data', () => {
  const engine = createEngine({ endpoints: { azure: 'http://127.0.0.1:1' } });
  const script = `<<<json
{ "q": { "sub": "s1", "rg": "rg1", "filter": "tagName eq 'env'" }, "top": 5 }
>>>
SELECT id FROM azure.resources.resources
WHERE resourceGroupName = '{{ .q.rg }}' AND subscriptionId = '{{ .q.sub }}'
AND $filter = '{{ .q.filter }}' AND $top = {{ .top }};`;
  const urlOf = (vars?: Record<string, unknown>) => {
    const plan = engine.plan(script, { vars: vars as never })[0].plan as unknown;
    return (plan as { sources: { requests: { request: { url: string } }[] }[] }).sources[0].requests[0].request.url;
  };

  it('the data block fills {{ .path }} placeholders; a var given by the caller wins', () => {
    expect(urlOf()).toMatch(/\/subscriptions\/s1\/resourceGroups\/rg1\/resources\?%24filter=tagName%20eq%20'env'&%24top=5&/);
    expect(urlOf({ '.top': 9, q: { sub: 's2', rg: 'rg2', filter: 'x' } })).toMatch(
      /\/subscriptions\/s2\/resourceGroups\/rg2\/resources\?%24filter=x&%24top=9&/,
    );
  });

  it('a path with no value is TPL_MISSING_VAR naming it', () => {
    const error = errorOf(() => engine.plan("SELECT id FROM azure.resources.resources WHERE subscriptionId = '{{ .q.sub }}'", { vars: { q: { other: 1 } } }));
    expect(error.code).toBe('TPL_MISSING_VAR');
    expect(error.details?.missing).toEqual(['.q.sub']);
  });

  it('a value from the data block is still only a value: it cannot change the statement', () => {
    const plan = engine.plan(
      `<<<json\n{ "f": "x' AND resourceGroupName = 'other" }\n>>>\nSELECT id FROM azure.resources.resources WHERE subscriptionId = 's' AND $filter = '{{ .f }}'`,
    )[0].plan;
    expect(JSON.stringify(plan)).toContain("/subscriptions/s/resources?%24filter=x'%20AND%20resourceGroupName%20%3D%20'other&");
  });
});
