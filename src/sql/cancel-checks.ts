// Makes a local query that can run away cancellable. node:sqlite runs a statement to its end
// with no way in, except the functions it calls: every SELECT with a FROM clause gets a call of
// skyql_continue() in its WHERE clause, which throws once the query is cancelled
// (exec/local-worker.ts). SQLite evaluates the call in the innermost loop that provides a value
// it is given, so it is given a value of each FROM item's row: a fetched table's rowid, the first
// column of a CTE or subquery. The recursive member of a CTE calls it once per row it adds.

import type { Edit } from './normalize.ts';
import { quoteIdentifier } from './identifiers.ts';
import { isKeyword, type Token } from './lexer.ts';
import { CLAUSE_WORDS, type ColumnName, type CoreOutline, type CteOutline, type FromItem, type SelectOutline } from './select-outline.ts';

export const CONTINUE_FUNCTION = 'skyql_continue';

export interface CheckContext {
  /** The local table of a FROM item that is a fetched resource. */
  readonly tableOf: (item: FromItem) => string | undefined;
  /** The text of tokens first…last as SQLite reads them (the local query's text). */
  readonly textOf: (first: Token, last: Token) => string;
}

/**
 * Edits that add the checks, or undefined when the query cannot run away: no recursive CTE and
 * one FROM item in all (no join, no subquery reading a table), so its work is bounded by the
 * rows fetched. Three ways, best first, to try in turn until SQLite prepares one: calls given a
 * value of every FROM item that has a name for it; of fetched tables only (a CTE's or
 * subquery's column name is read from the text, and may be wrong); of none, which is always
 * valid, but in a join only checks once per row of its outermost loop.
 */
export function cancelCheckEdits(outline: SelectOutline, context: CheckContext): Edit[][] | undefined {
  if (!mayRunAway(outline)) return undefined;
  const derived = derivedRowValue(outline, context);
  const fetched = (item: FromItem) => fetchedRowValue(item, context);
  const variants: ((item: FromItem) => string | undefined)[] = [(item) => fetched(item) ?? derived(item), fetched, () => undefined];
  return variants.map((rowValue) => outline.cores.flatMap((core) => checkEdits(core, rowValue)));
}

/**
 * Whether the tokens plainly read at most one FROM item and no CTE, so that the query cannot run
 * away without its outline being made: one FROM keyword at most, no WITH or JOIN, and a FROM
 * clause without a comma or a parenthesis. Anything else (a second FROM, a table-valued function,
 * `IS DISTINCT FROM`) is left to the outline. A scan of the tokens, where outlining a new SELECT
 * shape took ~5 % of planning it (its profile).
 */
export function readsOneFromItem(tokens: readonly Token[]): boolean {
  let from = -1;
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at];
    if (token.kind !== 'word') continue;
    if (isKeyword(token, 'WITH', 'JOIN')) return false;
    if (isKeyword(token, 'FROM')) {
      if (from !== -1) return false;
      from = at;
    }
  }
  for (let at = from + 1; from !== -1 && at < tokens.length; at++) {
    const token = tokens[at];
    if (token.kind === 'punct' && (token.value === ',' || token.value === '(')) return false;
    // The end of the subquery the FROM is in, or of its clause (as the outline reads them; a WINDOW
    // clause has a parenthesis, so it is left to the outline).
    if ((token.kind === 'punct' && token.value === ')') || isKeyword(token, ...CLAUSE_WORDS)) return true;
  }
  return true;
}

function mayRunAway(outline: SelectOutline): boolean {
  const fromItems = outline.cores.reduce((count, core) => count + core.from.length, 0);
  // A CTE can be read without a FROM (`x IN cte`), so recursion counts on its own.
  return fromItems > 1 || outline.ctes.some(isRecursive);
}

/** Whether a member of its body reads the CTE itself (SQLite needs no RECURSIVE keyword for that). */
function isRecursive(cte: CteOutline): boolean {
  const name = cte.name.value.toLowerCase();
  return cte.members.some((core) => core.from.some((item) => item.kind === 'name' && !item.qualified && item.name!.value.toLowerCase() === name));
}

function fetchedRowValue(item: FromItem, context: CheckContext): string | undefined {
  const table = context.tableOf(item);
  return table === undefined ? undefined : `${item.alias ? quoteIdentifier(item.alias.value) : table}.rowid`;
}

/** The first column of a CTE or subquery FROM item, when it has a name to be read by. */
function derivedRowValue(outline: SelectOutline, context: CheckContext): (item: FromItem) => string | undefined {
  // A CTE's name is read as that CTE only where one CTE has it (nested WITHs may reuse a name).
  const cteColumns = new Map<string, ColumnName | undefined>();
  for (const cte of outline.ctes) {
    const name = cte.name.value.toLowerCase();
    cteColumns.set(name, cteColumns.has(name) ? undefined : cte.firstColumn);
  }
  return (item) => {
    const column =
      item.kind === 'subquery' ? item.firstColumn : item.kind === 'name' && !item.qualified ? cteColumns.get(item.name!.value.toLowerCase()) : undefined;
    const name = item.alias ?? (item.kind === 'name' ? item.name : undefined);
    if (column === undefined || name === undefined) return undefined;
    return `${quoteIdentifier(name.value)}.${quoteIdentifier('name' in column ? column.name : context.textOf(column.text.first, column.text.last))}`;
  };
}

function checkEdits(core: CoreOutline, rowValue: (item: FromItem) => string | undefined): Edit[] {
  if (!core.fromLast) return [];
  const values = core.from.flatMap((item) => rowValue(item) ?? []);
  const call = `${CONTINUE_FUNCTION}(${values.join(', ')})`;
  if (!core.where) return [insertAfter(core.fromLast, ` WHERE ${call}`)];
  return [insertAfter(core.where.keyword, ' ('), insertAfter(core.where.last, `) AND ${call}`)];
}

function insertAfter(token: Token, text: string): Edit {
  return { start: token.end, end: token.end, replacement: text };
}
