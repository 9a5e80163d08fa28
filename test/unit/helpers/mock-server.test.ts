import { http, HttpResponse } from 'msw';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../helpers/mock-server.ts';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer([
    http.get('*/throws', () => {
      throw new Error('cannot read example.json');
    }),
    http.get('*/rejects', async () => Promise.reject(new TypeError('body is not JSON'))),
    http.get('*/ok', () => HttpResponse.json({ ok: true })),
  ]);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

async function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const response = await request(`${server.origin}${path}`);
  return { status: response.statusCode, headers: response.headers, body: await response.body.json() };
}

describe('a handler that fails', () => {
  it('a handler that throws is answered at once with a 500 that names the error, and recorded', async () => {
    const { status, body } = await get('/throws');
    expect(status).toBe(500);
    expect(body.error.code).toBe('MockHandlerFailed');
    expect(body.error.message).toContain('GET /throws');
    expect(body.error.message).toContain('Error: cannot read example.json');
    expect(server.failures).toEqual([{ request: expect.objectContaining({ method: 'GET', path: '/throws' }), error: 'Error: cannot read example.json' }]);
    expect(server.requests).toHaveLength(1);
  });

  it('so does a handler whose promise rejects', async () => {
    const { status, body } = await get('/rejects');
    expect(status).toBe(500);
    expect(body.error.message).toContain('TypeError: body is not JSON');
    expect(server.failures.map((failure) => failure.error)).toEqual(['TypeError: body is not JSON']);
  });

  it('asks a client that retries to retry at once (the handler fails the same way each time)', async () => {
    const { headers } = await get('/throws');
    expect(headers['retry-after-ms']).toBe('0');
  });

  it('the server goes on answering, and reset() forgets the failures', async () => {
    await get('/throws');
    expect((await get('/ok')).body).toEqual({ ok: true });
    server.reset();
    expect(server.failures).toEqual([]);
  });
});
