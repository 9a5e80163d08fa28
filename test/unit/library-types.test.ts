// Typed rows: engine.query<Row>() takes the caller's row type; RowOf makes one from the columns
// engine.describe() lists; describe and names answer from the registry.

import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createEngine, type RowOf } from '../../src/index.ts';

const engine = createEngine({ cacheDir: false, env: {} });
afterAll(() => engine.close());

describe('typed rows', () => {
  it('query<Row>() gives rows of the declared type', async () => {
    interface Provider {
      name: string;
      title: string;
    }
    const { rows } = await engine.query<Provider>('SHOW PROVIDERS');
    expectTypeOf(rows[0].title).toEqualTypeOf<string>();
    expect(rows[0]).toEqual({ name: 'azure', title: 'Microsoft Azure' });
  });

  it("describe() lists a resource's columns with their types and its methods; RowOf types a row from them", () => {
    const described = engine.describe('azure.data_factory.factories');
    expect(described.id).toBe('azure.data_factory.factories');
    expect(described.columns.find((column) => column.name === 'tags')).toMatchObject({ type: 'object' });
    expect(described.methods.find((method) => method.name === 'list_by_resource_group')).toMatchObject({
      verb: 'select',
      required: ['subscriptionId', 'resourceGroupName'],
    });
    const columns = [
      { name: 'name', type: 'string' },
      { name: 'tags', type: 'object' },
      { name: 'runs', type: 'integer' },
    ] as const;
    expectTypeOf<RowOf<typeof columns>>().toEqualTypeOf<{ readonly name: string | null; readonly tags: string | null; readonly runs: number | null }>();
  });

  it('names() lists what is below a dotted path; an unknown name has nothing', () => {
    expect(engine.names()).toEqual(['azure']);
    expect(engine.names('azure')).toEqual(['data_factory', 'resources', 'subscriptions', 'synapse_artifacts']);
    expect(engine.names('azure.data_factory.pipeline_runs')).toContain('cancel');
    expect(engine.names('nope.x')).toEqual([]);
    expect(() => engine.describe('azure.nope.x')).toThrow(expect.objectContaining({ code: 'REG_NOT_PULLED' }));
  });
});
