// A statement's results on the wire: RowDescription (or NoData), DataRows batch by batch with
// backpressure, then CommandComplete, or PortalSuspended when an Execute asked for fewer rows.

import type { Row } from '../plan/types.ts';
import { cellWriter, fieldDescription, resultFormats, writeDataRows, type CellWriter, type ColumnType } from './pg-types.ts';
import type { RunningStatement } from './statement.ts';
import * as wire from './wire-write.ts';

export interface Described {
  /** RowDescription or NoData. */
  readonly message: Buffer;
  readonly rows: boolean;
}

/** Bytes buffered before they are handed to the socket (and backpressure waited for). */
const FLUSH_BYTES = 256 * 1024;

export class RowSender {
  private readonly run: RunningStatement;
  private readonly formatCodes: readonly number[];
  private readonly out: wire.MessageWriter;
  private readonly flush: () => Promise<void>;
  private described?: Described;
  private columns: readonly string[] = [];
  private writers: readonly CellWriter[] = [];
  /** Rows read from the statement but not sent yet (an Execute's row limit cut the batch). */
  private pending?: readonly Row[];

  constructor(run: RunningStatement, formatCodes: readonly number[], out: wire.MessageWriter, flush: () => Promise<void>) {
    this.run = run;
    this.formatCodes = formatCodes;
    this.out = out;
    this.flush = flush;
  }

  /** Waits for the statement's columns; writes RowDescription or NoData when asked to. */
  async describe(write: boolean): Promise<Described> {
    if (!this.described) {
      const header = await this.run.header();
      if (header.rows) {
        const codes = resultFormats(this.formatCodes, header.columns.length);
        this.columns = header.columns;
        this.writers = header.types.map((type, i) => cellWriter(type, codes[i]));
        this.described = { rows: true, message: wire.rowDescription(header.columns.map((column, i) => fieldDescription(column, header.types[i], codes[i]))) };
      } else {
        this.described = { rows: false, message: wire.noData() };
      }
    }
    if (write) this.out.bytes(this.described.message);
    return this.described;
  }

  /** Sends up to maxRows rows (0: all). True when the statement is complete, false when suspended. */
  async send(maxRows: number): Promise<boolean> {
    const { rows } = await this.describe(false);
    let sent = 0;
    for (;;) {
      const batch = this.pending ?? (await this.nextRows());
      this.pending = undefined;
      if (!batch) break;
      if (!rows) continue;
      const room = maxRows > 0 ? maxRows - sent : batch.length;
      const now = room < batch.length ? batch.slice(0, room) : batch;
      if (now !== batch) this.pending = batch.slice(room);
      writeDataRows(this.out, now, this.columns, this.writers);
      sent += now.length;
      if (this.out.size >= FLUSH_BYTES) await this.flush();
      if (maxRows > 0 && sent >= maxRows) {
        this.pending ??= await this.nextRows();
        if (this.pending) {
          this.out.bytes(wire.portalSuspended());
          return false;
        }
        break;
      }
    }
    this.out.bytes(wire.commandComplete(this.run.tag()));
    return true;
  }

  /** The next batch that has rows; undefined at the end. */
  private async nextRows(): Promise<readonly Row[] | undefined> {
    for (let batch = await this.run.next(); batch; batch = await this.run.next()) if (batch.length > 0) return batch;
    return undefined;
  }

  /** Rows known in full (answers to client probes), as DataRows. */
  static encode(out: wire.MessageWriter, rows: readonly Row[], columns: readonly string[], types: readonly ColumnType[], codes: readonly (0 | 1)[]): void {
    writeDataRows(
      out,
      rows,
      columns,
      types.map((type, i) => cellWriter(type, codes[i])),
    );
  }
}
