// One rule for names in SQL: column, param, alias, view and resource names are the same name
// whatever their case (`runId`, `RUNID`, `runid`), as SQLite and StackQL read them.

/** Whether `a` and `b` name the same thing. */
export function sameName(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}
