// The golden case format: a statement, then the requests it must plan and send and the rows
// (or error) it must produce. `UPDATE_GOLDEN=1 npm test` rewrites the expected sections.
//
//   # comment
//   vars: {"name": "value"}
//   mock: fleet        (optional: a fake Azure with paged lists, runs and factories; default: the canned
//                       pipeline-run responses of test/helpers/azure-responses.ts)
//   sql:
//   INSERT INTO … ;
//   ---- plan          (the --dry-run lines: real Azure URLs, nothing sent)
//   ---- explain       (what EXPLAIN prints for each statement)
//   ---- requests      (what the mock server received over HTTP)
//   ---- rows          (one JSON line of rows per statement that returns rows)
//   ---- error         (CODE: message)

export interface GoldenCase {
  readonly header: string;
  readonly vars: Record<string, string>;
  readonly mock: 'canned' | 'fleet';
  readonly sql: string;
  readonly sections: Readonly<Record<string, string>>;
}

export const SECTIONS = ['plan', 'explain', 'requests', 'rows', 'error'] as const;

export function parseGolden(text: string): GoldenCase {
  const [head, ...rest] = text.split(/^---- /m);
  const sqlAt = head.indexOf('\nsql:\n');
  if (sqlAt === -1) throw new Error('golden case needs a "sql:" line');
  const header = head.slice(0, sqlAt + 1);
  const varsLine = header.split('\n').find((line) => line.startsWith('vars: '));
  const sections: Record<string, string> = {};
  for (const block of rest) {
    const newline = block.indexOf('\n');
    sections[block.slice(0, newline).trim()] = block.slice(newline + 1).trimEnd();
  }
  const mock = header.split('\n').some((line) => line.trim() === 'mock: fleet') ? 'fleet' : 'canned';
  return { header, vars: varsLine ? JSON.parse(varsLine.slice(6)) : {}, mock, sql: head.slice(sqlAt + 6).trimEnd(), sections };
}

export function renderGolden(golden: GoldenCase, actual: Readonly<Record<string, string>>): string {
  const blocks = SECTIONS.filter((name) => actual[name] !== undefined).map((name) => `---- ${name}\n${actual[name]}\n`);
  return `${golden.header}sql:\n${golden.sql}\n${blocks.join('')}`;
}
