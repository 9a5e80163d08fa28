// One recording server for both clients: each call's requests are recorded, and answered as
// the operation pages (a nextLink, or a continuationToken, on the first page of a list).

import { http, HttpResponse } from 'msw';
import { startMockServer, type MockServer, type RecordedRequest } from '../../helpers/mock-server.ts';

export type Paging = 'nextLink' | 'continuationToken' | undefined;

export interface Recorder {
  readonly origin: string;
  /** Runs `call` and returns the requests it sent, answered as an operation with this paging. */
  record(paging: Paging, call: () => Promise<unknown>): Promise<{ requests: RecordedRequest[]; error?: unknown }>;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  let paging: Paging;
  let answered = 0;
  let server: MockServer | undefined;
  server = await startMockServer([http.all('*', ({ request }) => HttpResponse.json(answer(paging, answered++, server!.origin, new URL(request.url))))]);
  const ready = server;
  return {
    origin: ready.origin,
    async record(mode, call) {
      ready.reset();
      paging = mode;
      answered = 0;
      let error: unknown;
      try {
        await call();
      } catch (caught) {
        error = caught;
      }
      return { requests: [...ready.requests], error };
    },
    close: () => ready.close(),
  };
}

/** The first page of a list says there is a second; every other answer is an empty list or object. */
function answer(paging: Paging, index: number, origin: string, url: URL): object {
  if (paging === undefined) return {};
  if (index > 0) return { value: [] };
  if (paging === 'continuationToken') return { value: [], continuationToken: 'page-2-token' };
  return { value: [], nextLink: `${origin}${url.pathname}${url.search}&skiptoken=page-2` };
}
