// What reading a source's answers needs that its plan alone decides — each stored column's read
// and affinity, a plain projection's output columns — kept by the engine for plans that are
// reused. A reused plan (plan/generic-plans.ts) shares every part the new values did not change
// with the plan it was filled in from, frozen: a source whose fields and stored fields are those
// same frozen arrays reads its answers as before, and a lookup of one run by a new id does not
// build its 23 reads and 19 output columns again. Anything not frozen is computed each time.

import type { DirectPlan, SourcePlan, SourceRequest } from '../plan/types-select.ts';
import { BoundedCache, type CacheOwner, type CacheStats } from '../util/caches.ts';
import type { Affinity, AffinityConverter } from './affinity.ts';
import { type DirectOutput, directOutput, directPages } from './direct-rows.ts';
import { fixedReads, type FixedReads, type RowLayout, withParamReads } from './row-layout.ts';
import type { PageQuery } from './select.ts';

/** A source's reads but the params' (read from each source as given), and what they were made from (compared on every use). */
interface KeptReads extends FixedReads {
  readonly source: Pick<SourcePlan, 'fields' | 'storedFields' | 'storedColumns' | 'idColumns' | 'stored'>;
}

interface KeptOutput {
  readonly fields: SourcePlan['fields'];
  readonly storedFields: SourcePlan['storedFields'];
  readonly output: DirectOutput;
}

export class SourceLayouts implements CacheOwner {
  private readonly reads = new BoundedCache<SourcePlan['storedFields'], KeptReads>('exec.source-reads', 256);
  private readonly outputs = new BoundedCache<DirectPlan['columns'], KeptOutput>('exec.direct-outputs', 256);
  private readonly answers: AffinityConverter;

  constructor(answers: AffinityConverter) {
    this.answers = answers;
  }

  /** How `request`'s items become the source's stored values (row-layout.ts). */
  rowLayout(source: SourcePlan, request: SourceRequest): RowLayout {
    return withParamReads(this.fixedReads(source), source, request);
  }

  /** The stored columns' affinities (affinity.ts). */
  affinities(source: SourcePlan): readonly (Affinity | undefined)[] {
    return this.fixedReads(source).affinities;
  }

  /** A plain projection's pages (direct-rows.ts). */
  directPages(source: SourcePlan, direct: DirectPlan): PageQuery {
    return directPages(direct, this.directOutput(source, direct.columns), this.answers);
  }

  private directOutput(source: SourcePlan, columns: DirectPlan['columns']): DirectOutput {
    if (!reusable(source) || !Object.isFrozen(columns)) return directOutput(source, columns);
    const kept = this.outputs.getMatching(columns, (entry) => entry.fields === source.fields && entry.storedFields === source.storedFields);
    if (kept) return kept.output;
    const output = directOutput(source, columns);
    this.outputs.set(columns, { fields: source.fields, storedFields: source.storedFields, output });
    return output;
  }

  stats(): CacheStats[] {
    return [this.reads.stats(), this.outputs.stats()];
  }

  clear(): void {
    this.reads.clear();
    this.outputs.clear();
  }

  private fixedReads(source: SourcePlan): FixedReads {
    if (!reusable(source)) return fixedReads(source);
    const kept = this.reads.getMatching(source.storedFields, (entry) => sameParts(entry.source, source));
    if (kept) return kept;
    const reads: KeptReads = { ...fixedReads(source), source: partsOf(source) };
    this.reads.set(source.storedFields, reads);
    return reads;
  }
}

/** Whether the parts a source's reads are made from cannot change: those of a reused plan. */
function reusable(source: SourcePlan): boolean {
  return Object.isFrozen(source.fields) && Object.isFrozen(source.storedFields) && Object.isFrozen(source.storedColumns);
}

function partsOf(source: SourcePlan): KeptReads['source'] {
  const { fields, storedFields, storedColumns, idColumns, stored } = source;
  return { fields, storedFields, storedColumns, idColumns, stored };
}

function sameParts(kept: KeptReads['source'], source: SourcePlan): boolean {
  return (
    kept.fields === source.fields &&
    kept.storedFields === source.storedFields &&
    kept.storedColumns === source.storedColumns &&
    kept.idColumns === source.idColumns &&
    kept.stored === source.stored
  );
}
