// Statements of one shape share what was worked out from the shape's tree, but each keeps its own
// values and its own positions: a longer string earlier in the text moves every span after it.

import { describe, expect, it } from 'vitest';
import type { SelectStatement } from '../../../src/sql/ast.ts';
import { parseStatement } from '../../../src/sql/parse.ts';
import { SqlSession } from '../../../src/sql/session.ts';

const shape = (group: string, factory: string, extra = '') =>
  `SELECT name, location FROM azure.data_factory.factories WHERE subscriptionId = '${group}' AND factoryName = '${factory}'${extra}`;

function select(text: string, session: SqlSession): SelectStatement {
  const { statement } = parseStatement(text, session);
  if (statement.kind !== 'select') throw new Error('not a SELECT');
  return statement;
}

const at = (text: string, span: { offset: number; length: number } | undefined) => span && text.slice(span.offset, span.offset + span.length);

describe('a repeated shape', () => {
  it('gives each statement its own values and spans', () => {
    const session = new SqlSession();
    const texts = [shape('s', 'f'), shape('s', 'f2'), shape('a much longer subscription', 'factory-b'), shape('', '{{ f }}')];
    // The first two make the shape known; the others are converted from what it keeps.
    const statements = texts.map((text) => select(text, session));
    statements.forEach((statement, i) => {
      const text = texts[i];
      const fresh = select(text, new SqlSession());
      expect(statement.conditions).toEqual(fresh.conditions);
      expect(statement.sources).toEqual(fresh.sources);
      expect(statement.local).toEqual(fresh.local);
      expect(statement.conditions.map((condition) => at(text, condition.span))).toEqual(['subscriptionId', 'factoryName']);
      expect(at(text, statement.sources[0].name.span)).toBe('azure.data_factory.factories');
    });
    expect(statements[2].local.bindings.map((binding) => binding.value)).toEqual(['a much longer subscription', 'factory-b']);
    expect(statements[3].local.bindings.map((binding) => binding.value)).toEqual(['', '{{ f }}']);
  });

  it('keeps a select list string as text per statement', () => {
    const session = new SqlSession();
    const texts = [
      "SELECT 'x' AS k, name FROM a.b.c WHERE g = 'y'",
      "SELECT 'x' AS k, name FROM a.b.c WHERE g = 'z'",
      "SELECT 'other' AS k, name FROM a.b.c WHERE g = 'w'",
    ];
    const locals = texts.map((text) => select(text, session).local);
    expect(locals[2].text).toContain("'other'");
    expect(locals[2].bindings.map((binding) => binding.value)).toEqual(['w']);
    expect(locals[2]).toEqual(select(texts[2], new SqlSession()).local);
  });
});
