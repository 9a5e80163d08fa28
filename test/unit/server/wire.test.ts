// Framing of the frontend byte stream: messages split anywhere, startup packets, bad lengths.

import { describe, expect, it } from 'vitest';
import { FrameReader, ProtocolError, readBind, readStartupPacket } from '../../../src/server/wire-read.ts';
import { MessageWriter } from '../../../src/server/wire-write.ts';

function typed(type: string, body: Buffer): Buffer {
  const writer = new MessageWriter();
  const at = writer.start(type);
  writer.bytes(body);
  return writer.end(at).take();
}

describe('FrameReader', () => {
  it('reassembles messages split at any byte', () => {
    const bytes = Buffer.concat([typed('Q', Buffer.from('SELECT 1\0')), typed('S', Buffer.alloc(0))]);
    const reader = new FrameReader();
    const frames = [];
    for (const byte of bytes) {
      reader.push(Buffer.from([byte]));
      for (let frame = reader.next(false); frame; frame = reader.next(false)) frames.push(frame);
    }
    expect(frames.map((frame) => [frame.type, frame.body.toString()])).toEqual([
      ['Q', 'SELECT 1\0'],
      ['S', ''],
    ]);
  });

  it('refuses impossible lengths', () => {
    const reader = new FrameReader();
    reader.push(Buffer.from([0x51, 0, 0, 0, 2]));
    expect(() => reader.next(false)).toThrow(ProtocolError);
    const huge = new FrameReader();
    huge.push(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]));
    expect(() => huge.next(false)).toThrow(ProtocolError);
  });
});

describe('startup packets', () => {
  it('reads a StartupMessage, an SSLRequest and a CancelRequest', () => {
    const startup = new MessageWriter().int32(196_608).cstring('user').cstring('alice').cstring('database').cstring('db').byte(0).take();
    expect(readStartupPacket(startup)).toEqual({ kind: 'startup', parameters: { user: 'alice', database: 'db' } });
    expect(readStartupPacket(new MessageWriter().int32(80_877_103).take())).toEqual({ kind: 'ssl' });
    expect(readStartupPacket(new MessageWriter().int32(80_877_102).int32(7).int32(-9).take())).toEqual({ kind: 'cancel', processId: 7, secretKey: -9 });
    expect(readStartupPacket(new MessageWriter().int32(131_072).take())).toMatchObject({ kind: 'unsupported' });
  });

  it('refuses a Bind whose fields run past its end', () => {
    const bind = new MessageWriter().cstring('').cstring('').int16(0).int16(1).int32(100).take();
    expect(() => readBind(bind)).toThrow(ProtocolError);
  });
});
