import { createEngine } from '/work/main/src/index.ts';
import { parseStatement } from '/work/main/src/sql/parse.ts';
const sql = process.argv[2];
const parsed = parseStatement(sql);
console.log(JSON.stringify((parsed.statement as any).aggregate));
const e = createEngine();
console.log(JSON.stringify((e.plan(sql)[0].plan as any).aggregate));
