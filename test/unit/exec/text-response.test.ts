// The transport reads bodies with its own undici handler (src/exec/text-response.ts): these tests
// hold it to undici's own request().body.text() byte for byte, however the body is cut into
// chunks, and check the exchange's bounds that the handler now carries.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { createUndiciClient } from '../../../src/exec/http.ts';
import { rounds } from '../../helpers/rounds.ts';

/** The body the next request gets: its bytes, and where the server cuts them into separate writes. */
let reply: { bytes: Uint8Array; cuts: number[]; chunked: boolean } = { bytes: new Uint8Array(), cuts: [], chunked: false };
let hold: ((res: ServerResponse) => void) | undefined;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (hold) return hold(res);
      const { bytes, cuts, chunked } = reply;
      res.writeHead(200, chunked ? { 'content-type': 'application/json' } : { 'content-length': String(bytes.length) });
      res.flushHeaders();
      writePieces(res, bytes, cuts);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Each piece in a turn of its own (setImmediate), so the client reads them as separate chunks. */
function writePieces(res: ServerResponse, bytes: Uint8Array, cuts: readonly number[]): void {
  const ends = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  const next = () => {
    const end = ends.shift();
    if (end === undefined) return res.end(bytes.subarray(at));
    res.write(bytes.subarray(at, end));
    at = end;
    setImmediate(next);
  };
  next();
}

/** Bytes around UTF-8's edges: a byte order mark, multi-byte characters, truncated and invalid sequences. */
const BYTES = fc.oneof(
  fc.constantFrom(0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xff, 0xc0, 0x22, 0x7b),
  fc.integer({ min: 0, max: 255 }),
);

describe('the transport reads a body as undici text() does', () => {
  it('byte for byte, whatever the bytes and however they are cut into chunks, with or without a length', async () => {
    const ours = createUndiciClient({}, 1 << 20);
    const reference = new Agent();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 200 }).chain((plain) =>
            fc.record({
              bytes: fc.oneof(
                fc.constant(plain),
                fc.array(BYTES, { maxLength: 60 }).map((list) => Uint8Array.from(list)),
              ),
              bom: fc.boolean(),
              cuts: fc.array(fc.nat(), { maxLength: 6 }),
              chunked: fc.boolean(),
            }),
          ),
          async ({ bytes, bom, cuts, chunked }) => {
            reply = { bytes: bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]) : bytes, cuts, chunked };
            const expected = await (await reference.request({ origin, path: '/', method: 'GET' })).body.text();
            const got = await ours.send({ method: 'GET', url: `${origin}/`, headers: {} });
            expect(got.body).toBe(expected);
          },
        ),
        { numRuns: rounds(150) },
      );
    } finally {
      await ours.close();
      await reference.close();
    }
  });

  it('a body of many chunks, larger than the first buffer it is copied into, up to a cap of exactly its size', async () => {
    const text = JSON.stringify({ value: Array.from({ length: 3_000 }, (_, i) => ({ id: i, name: `é-${i}` })) });
    const bytes = Buffer.from(text);
    const manyCuts = Array.from({ length: 40 }, (_, i) => Math.floor((bytes.length * (i + 1)) / 41));
    const send = async (maxResponseBytes?: number, cuts = manyCuts) => {
      reply = { bytes, cuts, chunked: true };
      const client = createUndiciClient({}, maxResponseBytes);
      try {
        return await client.send({ method: 'GET', url: `${origin}/`, headers: {} });
      } finally {
        await client.close();
      }
    };
    expect((await send()).body).toBe(text);
    // One byte, then chunks as large as a socket read (64 KiB): far larger than the bytes so far.
    expect((await send(undefined, [1])).body).toBe(text);
    // The buffer grows by doubling but never past the cap: a body of exactly the cap still fits.
    expect((await send(bytes.length)).body).toBe(text);
    await expect(send(bytes.length - 1)).rejects.toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE' });
  });
});

describe('the bounds of one exchange', () => {
  it('the total timeout counts from the request, so it also ends a wait for headers', async () => {
    hold = () => {};
    const client = createUndiciClient({ headersMs: 10_000, totalMs: 100 });
    try {
      const error = await client.send({ method: 'GET', url: `${origin}/`, headers: {} }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('HTTP_TIMEOUT');
      expect((error as EngineError).details).toMatchObject({ phase: 'total' });
    } finally {
      hold = undefined;
      server.closeAllConnections();
      await client.close();
    }
  });

  it('a header undici refuses to send is a coded error, and nothing hangs', async () => {
    const client = createUndiciClient();
    try {
      const error = await client.send({ method: 'GET', url: `${origin}/`, headers: { 'x-bad': 'a\r\nb' } }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('HTTP_NETWORK');
    } finally {
      await client.close();
    }
  });
});
