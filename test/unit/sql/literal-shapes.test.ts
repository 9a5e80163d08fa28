// LiteralShapes finds a text's literal shape from a template of an earlier text of that shape,
// without the lexer (sql/literal-shape.ts). The lexer is the reference: for every text, in any
// order after any others, the shape found must be literalShape's — key, values, statement and
// tokens — or nothing when literalShape gives nothing, or the same error.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { literalShape, LiteralShapes } from '../../../src/sql/literal-shape.ts';
import { rounds } from '../../helpers/rounds.ts';

/** Statements whose string literals are holes (`§`), with what may come around them. */
const SKELETONS = [
  "SELECT * FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '§' AND resourceGroupName = '§' AND factoryName = '§' AND runId = '§'",
  "SELECT runId, status FROM azure.data_factory.pipeline_runs WHERE subscriptionId = '§' AND runId IN ('§', '§')",
  "  -- a comment\nSELECT name FROM azure.data_factory.factories WHERE subscriptionId = '§' AND resourceGroupName='§';",
  "/* it's a comment */ SELECT name FROM azure.data_factory.factories WHERE subscriptionId = '§'",
  // The same text up to a quote in a comment, another after it.
  "/* it's a comment */ SELECT name, location FROM azure.data_factory.factories WHERE resourceGroupName = '§'",
  "/* it's a comment */ SELECT name, location FROM azure.data_factory.factories WHERE resourceGroupNamf = '§'",
  "SELECT \"it's\" FROM t WHERE a = '§' -- it's the end",
  "SELECT name FROM t WHERE a = '§''§' AND b = '§';  ",
  "SELECT name FROM t WHERE a = '§' '§'",
  // Texts of the same length as others, but for one word: only the text between the values tells them apart.
  "SELECT name FROM t WHERE a = '§' AND b = '§'",
  "SELECT name FROM t WHERE a = '§' OR  b = '§'",
  "SELECT name FROM t WHERE a = '§' AND b = '§' -- '",
  "SELECT name FROM t WHERE a = '§'; SELECT 1",
  "SELECT name FROM t WHERE a = '§' AND b = @p",
  "UPDATE t SET a = '§' WHERE b = '§'",
  "SELECT json_extract(x, '§') FROM t WHERE a = '§' /*+ hint */",
  "SELECT name FROM t WHERE a = '§' AND b = {{ v }}",
  "SELECT name FROM t WHERE a = '§'\n<<<\n§\n>>>",
  "SELECT name FROM t WHERE a = '§' /* unterminated",
  "SELECT name FROM t WHERE a = '§",
];

/** Contents for the holes: plain values, and every character that matters to a lexer. */
const CONTENT = fc.oneof(
  fc.constantFrom(
    '',
    'rg',
    'my-factory',
    '00000000-0000-4000-8000-000000000001',
    "o'brien",
    "''",
    "'",
    '--',
    '/*',
    '*/',
    '{{',
    '}}',
    '<<<',
    ';',
    '\n',
    'İstanbul',
    '"',
    '`',
    '@x',
    '\\',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom("'", '-', '/', '*', ';', '{', '<', 'a', ' ', '\n'), maxLength: 8 }),
);

function filled(skeleton: string, contents: readonly string[]): string {
  let i = 0;
  return skeleton.replace(/§/g, () => contents[i++ % contents.length] ?? '');
}

/** literalShape's answer as plain data (or its error), to compare. */
function reference(text: string): unknown {
  try {
    const shape = literalShape(text);
    return shape && { key: shape.key, values: shape.values, statement: shape.statement, tokens: shape.tokens };
  } catch (error) {
    return { error: String(error) };
  }
}

function found(shapes: LiteralShapes, text: string): unknown {
  try {
    const shape = shapes.shapeOf(text);
    return shape && { key: shape.key, values: [...shape.values], statement: shape.statement, tokens: shape.tokens };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('LiteralShapes agree with literalShape', () => {
  it('for texts of many shapes, in any order', () => {
    // A few skeletons a run, each filled in many times: a shape's template is kept from its second text.
    const texts = fc.uniqueArray(fc.constantFrom(...SKELETONS), { minLength: 1, maxLength: 3 }).chain((skeletons) =>
      fc.array(
        fc.tuple(fc.constantFrom(...skeletons), fc.array(CONTENT, { minLength: 1, maxLength: 6 })).map(([skeleton, contents]) => filled(skeleton, contents)),
        { minLength: 1, maxLength: 16 },
      ),
    );
    fc.assert(
      fc.property(texts, (texts) => {
        const shapes = new LiteralShapes();
        for (const text of texts) expect(found(shapes, text)).toEqual(reference(text));
      }),
      { numRuns: rounds(400, 'SKYQL_LITERAL_SHAPE_ROUNDS') },
    );
  });

  it('finds a shape from its template (the reused path is taken)', () => {
    const shapes = new LiteralShapes();
    const text = (id: string) => filled(SKELETONS[0], ['s', 'rg', 'f', id]);
    // Kept from a shape's second text.
    shapes.shapeOf(text('a'));
    shapes.shapeOf(text('b'));
    expect(found(shapes, text('c'))).toEqual(reference(text('c')));
    expect(shapes.stats()[0]).toMatchObject({ size: 1, hits: 1, misses: 2 });
  });

  it('a value with a quote, or text changed outside the values, is read by the lexer', () => {
    const shapes = new LiteralShapes();
    shapes.shapeOf(filled(SKELETONS[1], ['s', 'a', 'b']));
    shapes.shapeOf(filled(SKELETONS[1], ['s', 'c', 'd']));
    for (const text of [
      filled(SKELETONS[1], ['s', "a'", 'b']),
      filled(SKELETONS[1], ['s', "a''b", 'b']),
      `${filled(SKELETONS[1], ['s', 'a', 'b'])} AND x = 1`,
    ]) {
      expect(found(shapes, text)).toEqual(reference(text));
    }
  });

  it('a quote in a comment before the first value: the text after it is compared too', () => {
    const shapes = new LiteralShapes();
    const [kept, other] = SKELETONS.filter((skeleton) => skeleton.includes('resourceGroupNam'));
    for (const text of [filled(kept, ['a']), filled(kept, ['b']), filled(other, ['c'])]) expect(found(shapes, text)).toEqual(reference(text));
  });
});
