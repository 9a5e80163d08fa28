// Running a script from the CLI and the shell: each statement's rows to stdout (streamed where the
// format allows), messages to stderr, a partial failure's report, and the exit status.

import type { Engine, QueryResult } from '../engine.ts';
import { toEngineError } from '../errors.ts';
import { plannedRequests, renderRegistryAddLine, renderRegistryLine, renderViewChangeLine, renderRequestLine } from '../output/dry-run.ts';
import { escapeControls, type Notation } from '../output/escape.ts';
import type { CliIo } from './run.ts';
import { formatResult, type OutputFormat } from '../output/format.ts';
import type { TemplateData } from '../sql/template-data.ts';
import { partialOf, partialReport, partialRows } from './partial.ts';
import { renderError } from './render-error.ts';
import { stoppedByOutputFailure, type GuardedStdout } from './stdout.ts';
import type { Pager } from './pager.ts';

/** How a script's results are printed. */
export interface PrintOptions {
  readonly output: OutputFormat;
  readonly dryRun: boolean;
  /** stdout is a terminal: json, jsonl, csv and --dry-run lines are escaped too. */
  readonly stdoutIsTTY?: boolean;
  /** Tables: one line per column (psql's \x); 'auto': for tables wider than the terminal. */
  readonly expanded?: boolean | 'auto';
  /** Tables: the terminal's width now, to fit them in (undefined: no limit, e.g. piped). */
  readonly width?: () => number | undefined;
  /** Tables: colours (a dim NULL). */
  readonly color?: boolean;
  /** Long tables on a terminal: shown in a pager. */
  readonly pager?: Pager;
}

export interface ScriptIo {
  readonly stdout: GuardedStdout;
  readonly stderr: CliIo['stderr'];
}

export async function runScript(engine: Engine, sql: string, vars: TemplateData, args: PrintOptions, io: ScriptIo, signal?: AbortSignal): Promise<number> {
  try {
    if (args.dryRun) return printPlan(engine, sql, vars, args, io);
    const sink = streamingSink(args, io);
    for await (const result of engine.stream(sql, { vars, signal, onRows: sink?.onRows })) {
      if (result.streamed) sink?.end(result);
      else await printResult(result, args, io);
      for (const pending of result.pending ?? []) {
        io.stderr.write(`note: ${pending.operation} was accepted and continues in Azure; follow it at ${pending.statusUrl} (add /*+ AWAIT */ to wait)\n`);
      }
    }
    return 0;
  } catch (error) {
    // Stopped because stdout failed: runCli reports that once, and nothing else.
    if (stoppedByOutputFailure(signal)) return 1;
    const engineError = toEngineError(error);
    const partial = partialOf(engineError);
    if (partial) io.stdout.write(partialRows(partial, args.output, args.stdoutIsTTY));
    io.stderr.write(renderError(engineError, sql));
    if (partial) io.stderr.write(partialReport(partial));
    return 1;
  }
}

function printPlan(engine: Engine, sql: string, vars: TemplateData, args: PrintOptions, io: Pick<ScriptIo, 'stdout'>): number {
  for (const planned of engine.plan(sql, { vars })) {
    for (const request of plannedRequests(planned.plan)) io.stdout.write(forStdout(`${renderRequestLine(request)}\n`, 'json', args.stdoutIsTTY));
    if (planned.plan.kind === 'registry_add') io.stdout.write(forStdout(`${renderRegistryAddLine(planned.plan)}\n`, 'json', args.stdoutIsTTY));
    if (planned.plan.kind === 'view_change' || planned.plan.kind === 'materialize')
      io.stdout.write(forStdout(`${renderViewChangeLine(planned.plan)}\n`, 'json', args.stdoutIsTTY));
    if (planned.plan.kind === 'registry_pull' || planned.plan.kind === 'registry_list')
      io.stdout.write(forStdout(`${renderRegistryLine(planned.plan)}\n`, 'json', args.stdoutIsTTY));
    if (planned.plan.kind === 'local') io.stdout.write(formatResult(planned.plan, args.output, tableOptions(args)));
  }
  return 0;
}

function tableOptions(args: PrintOptions) {
  return { terminal: args.stdoutIsTTY, expanded: args.expanded, width: args.width?.(), color: args.color };
}

/** Text that is not a result table (docs, --dry-run lines…): escaped when stdout is a terminal, as it is. */
export function forStdout(text: string, notation: Notation, stdoutIsTTY: boolean | undefined): string {
  return stdoutIsTTY ? escapeControls(text, notation) : text;
}

/** jsonl and csv print a SELECT's rows as they arrive; table and json need them all first. */
function streamingSink({ output, stdoutIsTTY }: PrintOptions, io: Pick<ScriptIo, 'stdout'>) {
  if (output !== 'jsonl' && output !== 'csv') return undefined;
  let headerDone = false;
  // Loaded with the first page: a script whose statements stream no rows never loads it.
  let boundYoungGeneration: (() => void) | undefined;
  return {
    async onRows(columns: readonly string[], rows: QueryResult['rows'], columnTypes?: QueryResult['columnTypes']) {
      boundYoungGeneration ??= (await import('./v8-tuning.ts')).youngGenerationBound();
      boundYoungGeneration();
      const text = formatResult({ columns, rows, columnTypes }, output, { terminal: stdoutIsTTY });
      const flushed = io.stdout.write(output === 'csv' && headerDone ? text.slice(text.indexOf('\r\n') + 2) : text);
      headerDone = true;
      // Backpressure: while stdout is full, no further page is fetched, so memory stays flat.
      if (!flushed) await io.stdout.drained();
    },
    end(result: QueryResult) {
      if (!headerDone && output === 'csv') io.stdout.write(formatResult(result, output, { terminal: stdoutIsTTY }));
      headerDone = false;
    },
  };
}

async function printResult(result: QueryResult, args: PrintOptions, io: ScriptIo): Promise<void> {
  if (result.returnsRows) {
    const text = formatResult(result, args.output, tableOptions(args));
    if (args.output !== 'table') return void io.stdout.write(text);
    if (!(await args.pager?.(text))) io.stdout.write(text);
    // No count for a table that could not be written: a failed write is reported a tick later.
    await io.stdout.settled();
    if (!io.stdout.failure) io.stderr.write(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}\n`);
  } else {
    io.stderr.write(`OK: ${result.kind.toUpperCase()} sent ${result.requests} request${result.requests === 1 ? '' : 's'}\n`);
  }
}
