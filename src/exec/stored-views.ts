// Materialized views: the rows a SELECT returned, kept by the engine under a name for as long as
// the engine lives (a shell session, one script, a server process), never written to disk: they
// are cloud data. REFRESH runs the kept SELECT again and replaces them.

import { EngineError } from '../errors.ts';
import type { SqlValue } from '../plan/types.ts';
import type { SourcePlan, StoredViewLookup, StoredViewShape } from '../plan/types-select.ts';
import { sameName } from '../util/same-name.ts';

export interface StoredView extends StoredViewShape {
  /** By row, the values in the order of `columns`. */
  readonly rows: readonly (readonly SqlValue[])[];
}

/** What a statement that reads materialized views needs of them when it runs: their rows. */
export interface StoredViewRows {
  stored(name: string): StoredView | undefined;
}

export class StoredViews implements StoredViewLookup {
  private readonly views = new Map<string, StoredView>();

  stored(name: string): StoredView | undefined {
    return this.views.get(name.toLowerCase());
  }

  storedNames(): string[] {
    return [...this.views.keys()].sort();
  }

  hasStored(): boolean {
    return this.views.size > 0;
  }

  save(view: StoredView): void {
    this.views.set(view.name.toLowerCase(), view);
  }

  remove(name: string): void {
    this.views.delete(name.toLowerCase());
  }
}

/** A materialized source's rows, in the order of its stored columns (as planned). */
export function storedRows(source: SourcePlan, views: StoredViewRows | undefined): SqlValue[][] {
  const view = views?.stored(source.stored!);
  if (!view) {
    throw new EngineError('REG_UNKNOWN_RESOURCE', `the materialized view ${source.stored} was dropped before this statement ran`, {
      hint: `CREATE MATERIALIZED VIEW ${source.stored} AS … makes it again`,
    });
  }
  const positions = source.storedColumns.map((column) => view.columns.findIndex((name) => sameName(name, column)));
  if (positions.includes(-1)) {
    throw new EngineError('REG_UNKNOWN_RESOURCE', `the materialized view ${source.stored} was replaced, with other columns, after this statement was planned`, {
      hint: 'run the statement again',
    });
  }
  return view.rows.map((row) => positions.map((at) => row[at]));
}
