// INSERT and SET values that are expressions of constants (sql/value-expressions.ts) become
// literals here: SQLite gives each its value before the request is built, so the plan holds
// the exact value sent, and an expression SQLite rejects is an error before anything is sent.

import { EngineError, spanAt } from '../errors.ts';
import type { GivenValue, Literal } from '../sql/ast.ts';
import type { PlanOptions, SqlValue } from './types.ts';
import { literalValue, toSqlParam } from './values.ts';

export function givenLiterals(values: readonly GivenValue[], options: PlanOptions, script: string): Literal[] {
  return values.map((value) => (value.kind === 'literal' ? value : evaluated(value, options, script)));
}

function evaluated(expression: Extract<GivenValue, { kind: 'expression' }>, options: PlanOptions, script: string): Literal {
  const params = expression.bindings.map((binding) => toSqlParam(literalValue(binding, options.vars)));
  let value: SqlValue;
  try {
    value = options.checker.evaluate(expression.text, params);
  } catch (error) {
    throw new EngineError('SQL_LOCAL', `SQLite: ${(error as Error).message ?? String(error)}`, {
      span: spanAt(script, expression.span.offset, expression.span.length),
      cause: error,
    });
  }
  options.observer?.computed();
  // The value is what SQLite made: used as it is, never expanded as a {{ template }} again.
  return { kind: 'literal', value, quoted: typeof value === 'string', span: expression.span, fromData: true };
}
