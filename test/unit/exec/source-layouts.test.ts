// The engine keeps how a reused plan's source reads its answers (exec/source-layouts.ts): only for
// parts that are frozen, found again only when every part the reads are made from is the same,
// and never with another request's param values.

import { describe, expect, it } from 'vitest';
import { SourceLayouts } from '../../../src/exec/source-layouts.ts';
import { SqliteAnswers } from '../../../src/exec/sql-values.ts';
import { createEngine } from '../../../src/index.ts';
import type { SelectStatementPlan, SourcePlan, SourceRequest } from '../../../src/plan/types-select.ts';

const SUB = '00000000-0000-0000-0000-000000000000';
const FROM = 'FROM azure.data_factory.pipeline_runs';
const WHERE = `WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-1' AND factoryName = 'factory-1'`;

const engine = createEngine();

function selectPlan(sql: string): SelectStatementPlan {
  const [planned] = engine.plan(sql);
  if (planned.plan.kind !== 'select') throw new Error(`not a SELECT: ${sql}`);
  return structuredClone(planned.plan);
}

function deepFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFrozen(child);
  return value;
}

/** The layout as computed afresh: a source whose parts are not frozen is never kept. */
const fresh = (source: SourcePlan, request: SourceRequest) => new SourceLayouts(new SqliteAnswers()).rowLayout(structuredClone(source), request);
const counts = (layouts: SourceLayouts) => layouts.stats().map(({ name, size, hits, misses }) => ({ name, size, hits, misses }));
const withParam = (request: SourceRequest, name: string, value: string): SourceRequest => ({
  ...request,
  paramValues: { ...request.paramValues, [name]: value },
});

describe('SourceLayouts', () => {
  it("keeps a frozen source's reads; each request reads its own param values", () => {
    const layouts = new SourceLayouts(new SqliteAnswers());
    const source = deepFrozen(selectPlan(`SELECT runId, factoryName, status ${FROM} ${WHERE}`)).sources[0];
    const first = source.requests[0];
    const second = withParam(first, 'factoryName', 'factory-2');
    const one = layouts.rowLayout(source, first);
    const two = layouts.rowLayout(source, second);
    expect(one).toEqual(fresh(source, first));
    expect(two).toEqual(fresh(source, second));
    expect(two.reads.map((read) => read.value)).toContain('factory-2');
    expect(one.reads.map((read) => read.value)).not.toContain('factory-2');
    expect(counts(layouts)[0]).toEqual({ name: 'exec.source-reads', size: 1, hits: 1, misses: 1 });
  });

  describe('a source that shares the kept arrays but not every part is read by its own parts', () => {
    const source = deepFrozen(selectPlan(`SELECT * ${FROM} ${WHERE}`)).sources[0];
    const [request] = source.requests;
    // The stored columns named in another order: as a view's columns (by name), their types move.
    const permuted = [...source.storedColumns].reverse();
    const cases: [string, SourcePlan, SourcePlan][] = [
      ['stored', { ...source, storedColumns: permuted }, { ...source, storedColumns: permuted, stored: 'a_view' }],
      ['storedColumns', { ...source, stored: 'a_view' }, { ...source, stored: 'a_view', storedColumns: permuted }],
    ];
    const listed = deepFrozen(selectPlan(`SELECT name, resourceGroupName FROM azure.data_factory.factories WHERE subscriptionId = '${SUB}'`)).sources[0];
    const { idColumns } = listed;
    if (!idColumns) throw new Error('expected a part of the id read as a column');
    const otherPart = { ...idColumns, columns: [{ column: 'resourceGroupName', param: 'factoryName' }] };
    cases.push(['idColumns', listed, { ...listed, idColumns: otherPart }]);
    // Fields of other names and types at the same indexes.
    const otherFields = source.fields.map((field, i) => ({ ...field, name: `f${i}`, type: i % 2 === 0 ? ('integer' as const) : ('object' as const) }));
    cases.push(['fields', source, { ...source, fields: otherFields }]);
    for (const [part, kept, variant] of cases.map(([part, ...sources]) => [part, ...sources.map(deepFrozen)] as const)) {
      it(part, () => {
        const layouts = new SourceLayouts(new SqliteAnswers());
        const request = kept.requests[0];
        layouts.rowLayout(kept, request);
        expect(variant.storedFields).toBe(kept.storedFields);
        expect(layouts.rowLayout(variant, request)).toEqual(fresh(variant, request));
        expect(layouts.affinities(variant)).toEqual(new SourceLayouts(new SqliteAnswers()).affinities(structuredClone(variant)));
      });
    }
    it('reads every param column from the source it is given', () => {
      const layouts = new SourceLayouts(new SqliteAnswers());
      layouts.rowLayout(source, request);
      const variant = deepFrozen({ ...source, paramColumns: [...source.paramColumns].reverse() });
      expect(layouts.rowLayout(variant, request)).toEqual(fresh(variant, request));
    });
  });

  it('keeps nothing of a source whose parts are not frozen', () => {
    const layouts = new SourceLayouts(new SqliteAnswers());
    const plan = selectPlan(`SELECT runId, status ${FROM} ${WHERE}`);
    const [source] = plan.sources;
    layouts.rowLayout(source, source.requests[0]);
    layouts.directPages(source, plan.streaming!.direct!);
    expect(counts(layouts).map(({ size, hits, misses }) => size + hits + misses)).toEqual([0, 0]);
  });

  it("keeps a plain projection's output columns, for the source's own fields only", () => {
    const layouts = new SourceLayouts(new SqliteAnswers());
    const plan = deepFrozen(selectPlan(`SELECT runId, status AS state ${FROM} ${WHERE}`));
    const [source] = plan.sources;
    const direct = plan.streaming!.direct!;
    expect(layouts.directPages(source, direct)).toMatchObject({ columns: ['runId', 'state'], columnTypes: ['string', 'string'] });
    expect(layouts.directPages(source, direct).columns).toEqual(['runId', 'state']);
    // The same output columns over other stored fields: their own types.
    const other = deepFrozen({ ...source, storedFields: [...source.storedFields].reverse() });
    expect(layouts.directPages(other, direct).columnTypes).toEqual(
      new SourceLayouts(new SqliteAnswers()).directPages(structuredClone(other), structuredClone(direct)).columnTypes,
    );
    expect(counts(layouts)[1]).toMatchObject({ name: 'exec.direct-outputs', hits: 1, misses: 2 });
  });
});
