// One statement running on the engine, read by the connection batch by batch: the engine fetches
// the next page only when the rows before it are on their way to the client (backpressure), and
// the column types are fixed from the registry and the first batch before the first row is sent.

import type { Engine, QueryResult } from '../engine.ts';
import { EngineError, toEngineError } from '../errors.ts';
import type { Row, StatementPlan } from '../plan/types.ts';
import type { ValueType } from '../registry/types.ts';
import type { StatementKind } from '../sql/ast.ts';
import type { TemplateVars } from '../sql/templates.ts';
import { columnType, type ColumnType } from './pg-types.ts';

/** What a client learns before the rows: the columns and their types, or that there are no rows. */
export type Header = { readonly rows: true; readonly columns: readonly string[]; readonly types: readonly ColumnType[] } | { readonly rows: false };

export interface RunOptions {
  readonly vars: TemplateVars;
  readonly signal: AbortSignal;
  /** Refuse statements that change anything (SERVER_READ_ONLY). */
  readonly readOnly: boolean;
  /** The statement's warnings and notices, for the client (NoticeResponse). */
  readonly onNotice?: (severity: 'WARNING' | 'NOTICE', message: string) => void;
}

/** Batches (pages) read ahead of a slow client: the engine runs in longer stretches, memory stays bounded. */
const AHEAD = 8;

export class RunningStatement {
  readonly kind: StatementKind;
  private readonly registryTypes: ReadonlyMap<string, ValueType>;
  private readonly stop = new AbortController();
  private readonly queue: (readonly Row[])[] = [];
  private columns?: readonly string[];
  private result?: QueryResult;
  private failure?: EngineError;
  private finished = false;
  private headerValue?: Header;
  private rowCount = 0;
  /** Wakes the reader when a batch arrives or the statement ends. */
  private wakeReader?: () => void;
  /** Wakes the engine when the reader has caught up. */
  private wakeWriter?: () => void;

  /** Plans the statement (throws its EngineError: nothing is sent) and starts it. */
  constructor(engine: Engine, text: string, options: RunOptions) {
    // Read-only: planning refuses what could change something, before any of its values is checked.
    const notice = options.onNotice;
    const messages = notice && { onWarning: (message: string) => notice('WARNING', message), onNotice: (message: string) => notice('NOTICE', message) };
    const planned = engine.plan(text, { vars: options.vars, readOnly: options.readOnly, ...messages });
    if (planned.length !== 1) throw new EngineError('SQL_UNSUPPORTED', `expected one statement, found ${planned.length}`);
    this.kind = planned[0].kind;
    this.registryTypes = fieldTypes(planned[0].plan);
    const signal = AbortSignal.any([options.signal, this.stop.signal]);
    // The statement runs as planned here: planned once, and its types are those of what runs.
    engine.execute(planned[0], { signal, onRows: (columns, rows) => this.accept(columns, rows), ...messages }).then(
      (result) => this.end(result),
      (error: unknown) => this.end(undefined, toEngineError(error)),
    );
  }

  /** The columns and types, once the first batch is in or the statement has ended; throws its error. */
  async header(): Promise<Header> {
    if (this.headerValue) return this.headerValue;
    while (this.queue.length === 0 && !this.finished) await this.waitForData();
    if (this.failure && this.queue.length === 0) throw this.failure;
    this.headerValue ??= this.describe();
    return this.headerValue;
  }

  /** The next batch of rows; undefined when there are no more. Throws the statement's error. */
  async next(): Promise<readonly Row[] | undefined> {
    while (this.queue.length === 0 && !this.finished) await this.waitForData();
    const batch = this.queue.shift();
    if (this.queue.length < AHEAD) this.wakeWriter?.();
    if (batch) {
      this.rowCount += batch.length;
      return batch;
    }
    if (this.failure) throw this.failure;
    return undefined;
  }

  /** Stops the statement (a client that went away, a portal closed before its end). */
  abandon(): void {
    this.stop.abort(new EngineError('HTTP_ABORTED', 'the statement was abandoned'));
    this.wakeWriter?.();
  }

  /** The CommandComplete tag, once every batch has been read. */
  tag(): string {
    const count = this.headerValue?.rows ? this.rowCount : (this.result?.requests ?? 0);
    switch (this.kind) {
      case 'insert':
        return `INSERT 0 ${count}`;
      case 'update':
        return `UPDATE ${count}`;
      case 'delete':
        return `DELETE ${count}`;
      case 'exec':
        return this.headerValue?.rows ? `SELECT ${count}` : 'CALL';
      default:
        return `SELECT ${count}`;
    }
  }

  private async accept(columns: readonly string[], rows: readonly Row[]): Promise<void> {
    this.columns ??= columns;
    this.queue.push(rows);
    this.wakeReader?.();
    while (this.queue.length > AHEAD && !this.stop.signal.aborted) await new Promise<void>((resolve) => (this.wakeWriter = resolve));
  }

  private end(result: QueryResult | undefined, failure?: EngineError): void {
    this.result = result;
    this.failure = failure;
    if (result) {
      this.columns ??= result.columns;
      if (result.returnsRows && !result.streamed) this.queue.push(result.rows);
    }
    this.finished = true;
    this.wakeReader?.();
  }

  private waitForData(): Promise<void> {
    return new Promise<void>((resolve) => (this.wakeReader = resolve));
  }

  private describe(): Header {
    const returnsRows = this.result ? this.result.returnsRows : true;
    if (!returnsRows || !this.columns) return { rows: false };
    const sample = this.queue[0] ?? [];
    const types = this.columns.map((column) =>
      columnType(
        sample.map((row) => row[column] ?? null),
        this.registryTypes.get(column.toLowerCase()),
      ),
    );
    return { rows: true, columns: this.columns, types };
  }
}

/** The registry's type of each field the statement reads, by lower-case name (ambiguous names left out). */
function fieldTypes(plan: StatementPlan): ReadonlyMap<string, ValueType> {
  const types = new Map<string, ValueType | null>();
  if (plan.kind !== 'select') return new Map();
  for (const source of plan.sources) {
    for (const field of source.fields) {
      const key = field.name.toLowerCase();
      const seen = types.get(key);
      types.set(key, seen === undefined || seen === field.type ? field.type : null);
    }
  }
  return new Map([...types].filter((entry): entry is [string, ValueType] => entry[1] !== null));
}
