// Column and param names as a statement must spell them. A name that is an SQL keyword for the
// parser (node-sql-parser) or for the local engine (SQLite), such as `values`, or that has
// characters other than letters, digits, `_` and `-`, such as `$top`, is double-quoted. Other
// names stay bare, hyphenated ones included (`api-version`, `If-Match`): normalize.ts quotes
// those for the parser, and StackQL's docs write them so.

import { RESERVED } from './fast-parser.ts';
import { constantSet } from '../util/caches.ts';

// SQLite's keywords (https://www.sqlite.org/lang_keywords.html). It takes some of them as names
// where the grammar allows, but a quoted name is a name everywhere.
const SQLITE_KEYWORDS = constantSet(
  `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH
  AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT
  CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT
  DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE
  EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP
  GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO
  IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL
  NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE
  RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK
  ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION
  UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/),
);

/** Whether SQLite has the word (upper case) as a keyword. */
export function isSqliteKeyword(upper: string): boolean {
  return SQLITE_KEYWORDS.has(upper);
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

/** `name`, or `"name"` when it would not be read as a name bare. */
export function sqlName(name: string): string {
  const upper = name.toUpperCase();
  if (BARE_NAME.test(name) && !SQLITE_KEYWORDS.has(upper) && !RESERVED.has(upper)) return name;
  return quoteIdentifier(name);
}

/** `"name"`, its quotes doubled: a name whatever it holds. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
