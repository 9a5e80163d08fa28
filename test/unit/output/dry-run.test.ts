import { describe, expect, it } from 'vitest';
import { renderRequestLine } from '../../../src/output/dry-run.ts';
import type { RequestPlan } from '../../../src/plan/types.ts';

const AUDIENCE = 'https://management.azure.com/.default';

function plan(extra: Partial<RequestPlan> = {}): RequestPlan {
  return {
    method: 'POST',
    url: 'https://management.azure.com/subscriptions/s/pipelines/p/createRun?api-version=2018-06-01',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: '{"a":[1,2]}',
    provider: 'azure',
    audience: AUDIENCE,
    operation: 'azure.data_factory.pipelines_runs.create_run',
    expectedStatus: [200],
    longRunning: false,
    idempotent: true,
    ...extra,
  };
}

describe('renderRequestLine', () => {
  it('is one JSON line with method, url, headers and the parsed body', () => {
    const line = renderRequestLine(plan());
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      method: 'POST',
      url: 'https://management.azure.com/subscriptions/s/pipelines/p/createRun?api-version=2018-06-01',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer <token for ${AUDIENCE}>` },
      body: { a: [1, 2] },
    });
  });

  it('shows the audience instead of a token, even if a header smuggles one in', () => {
    const line = renderRequestLine(plan({ headers: { accept: 'application/json', Authorization: 'Bearer eyJ.real.token', 'x-secret': 'eyJ.other' } }));
    expect(line).not.toContain('eyJ');
    expect(line).toContain(`<token for ${AUDIENCE}>`);
    expect(JSON.parse(line).headers['x-secret']).toBe('REDACTED');
  });

  it('a request without a body shows body null', () => {
    expect(JSON.parse(renderRequestLine(plan({ method: 'GET', body: undefined }))).body).toBeNull();
  });

  it('redacts sensitive query params in the URL', () => {
    const line = renderRequestLine(plan({ url: 'https://acct.blob.core.windows.net/c?sig=SECRET&sv=1' }));
    expect(line).not.toContain('SECRET');
    expect(JSON.parse(line).url).toContain('sv=1');
  });
});
