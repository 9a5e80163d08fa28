// Makes a local query that can run away cancellable. node:sqlite runs a statement to its end
// with no way in, except the functions it calls: every SELECT with a FROM clause gets a call of
// skyql_continue() in its WHERE clause, which throws once the query is cancelled
// (exec/local-worker.ts). A call that names the rowid of each fetched table in the FROM is
// evaluated in the innermost loop of a join (one naming no table only once per row of the
// outermost loop); the recursive member of a CTE calls it once per row it adds.

import type { Edit } from './normalize.ts';
import type { Token } from './lexer.ts';
import type { CoreOutline, CteOutline, FromItem, SelectOutline } from './select-outline.ts';

export const CONTINUE_FUNCTION = 'skyql_continue';

/**
 * Edits that add the checks, or undefined when the query cannot run away: no recursive CTE and
 * one FROM item in all (no join, no subquery reading a table), so its work is bounded by the
 * rows fetched. `tableOf` gives the local table of a FROM item that is a fetched resource.
 */
export function cancelCheckEdits(outline: SelectOutline, tableOf: (item: FromItem) => string | undefined): Edit[] | undefined {
  if (!mayRunAway(outline)) return undefined;
  return outline.cores.flatMap((core) => checkEdits(core, tableOf));
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

function checkEdits(core: CoreOutline, tableOf: (item: FromItem) => string | undefined): Edit[] {
  if (!core.fromLast) return [];
  const rowids = core.from.flatMap((item) => {
    const table = tableOf(item);
    if (table === undefined) return [];
    return [`${item.alias ? quoteName(item.alias.value) : table}.rowid`];
  });
  const call = `${CONTINUE_FUNCTION}(${rowids.join(', ')})`;
  if (!core.where) return [insertAfter(core.fromLast, ` WHERE ${call}`)];
  return [insertAfter(core.where.keyword, ' ('), insertAfter(core.where.last, `) AND ${call}`)];
}

function insertAfter(token: Token, text: string): Edit {
  return { start: token.end, end: token.end, replacement: text };
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
