// The writer's buffers: what it hands to the socket and takes back must be its own memory, never
// a region of Node's shared Buffer pool that other code (an HTTP request body, say) is using.

import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../../src/server/wire-write.ts';

const BIG = 20 * 1024;

/** A connection's cycle: write, hand the bytes to the socket, take them back once written. */
function flush(writer: MessageWriter): Buffer {
  const bytes = writer.take();
  writer.recycle(bytes);
  return bytes;
}

/** Node hands small buffers out of a shared slab; start a new one so that the layout below is known. */
function startFreshPoolSlab(): void {
  const slab = Buffer.from('probe').buffer;
  while (Buffer.from('probe').buffer === slab);
}

describe('MessageWriter buffers', () => {
  it('never writes into memory it did not allocate for itself (small copies come from the shared pool)', () => {
    startFreshPoolSlab();
    const writer = new MessageWriter();
    writer.bytes(Buffer.alloc(100, 1));
    flush(writer); // a copy: a slice of Node's shared pool
    writer.bytes(Buffer.alloc(BIG, 2));
    flush(writer); // handed over: the writer goes on in a spare buffer
    // Someone else's small buffer, from the same pool, as undici makes of a request body.
    const bystander = Buffer.from('{"continuationToken":"2700"}');
    const before = bystander.toString();
    for (let written = 0; written < 2 * BIG; written += 1024) writer.bytes(Buffer.alloc(1024, 0x44));
    expect(bystander.toString()).toBe(before);
  });

  it('reuses a buffer it handed over once the socket gives it back', () => {
    const writer = new MessageWriter();
    writer.bytes(Buffer.alloc(BIG, 1));
    const first = flush(writer);
    writer.bytes(Buffer.alloc(BIG, 2));
    writer.take(); // still on the socket: the writer goes on in the buffer given back
    writer.bytes(Buffer.alloc(BIG, 3));
    const third = writer.take();
    expect(third.buffer).toBe(first.buffer);
    expect(third.every((byte) => byte === 3)).toBe(true);
  });

  it('takes back only what it handed over, once', () => {
    const writer = new MessageWriter();
    writer.bytes(Buffer.alloc(BIG, 1));
    const handed = writer.take();
    writer.recycle(handed);
    writer.recycle(handed);
    writer.bytes(Buffer.alloc(BIG, 2));
    writer.take();
    writer.bytes(Buffer.alloc(BIG, 3));
    const onTheSocket = writer.take();
    writer.bytes(Buffer.alloc(BIG, 4));
    writer.take();
    expect(onTheSocket.every((byte) => byte === 3)).toBe(true);
  });
});
