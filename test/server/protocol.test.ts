// The extended protocol message by message, with a minimal client: what node-postgres never sends
// (Describe of a statement, Close, an empty statement, errors skipped until Sync, a bad message).

import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { MessageWriter } from '../../src/server/wire-write.ts';
import { FLEET_SUBSCRIPTION as SUB } from '../helpers/azure-fleet.ts';
import { startHarness, type Harness } from './helpers.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Message {
  readonly type: string;
  readonly body: Buffer;
}

/** A connection that logs in, sends raw messages and reads until ReadyForQuery. */
async function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let pending = Buffer.alloc(0);
  const messages: Message[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 5 && pending.length >= pending.readInt32BE(1) + 1) {
      const length = pending.readInt32BE(1);
      messages.push({ type: String.fromCharCode(pending[0]), body: pending.subarray(5, length + 1) });
      pending = pending.subarray(length + 1);
    }
    wake?.();
  });
  const untilReady = async (): Promise<Message[]> => {
    while (!messages.some((message) => message.type === 'Z')) await new Promise<void>((resolve) => (wake = resolve));
    const at = messages.findIndex((message) => message.type === 'Z');
    return messages.splice(0, at + 1);
  };
  const send = (...buffers: Buffer[]) => socket.write(Buffer.concat(buffers));
  const ended = new Promise<Message[]>((resolve) => socket.once('close', () => resolve(messages)));
  send(startup());
  return { send, untilReady, ended, close: () => socket.destroy() };
}

function startup(): Buffer {
  const body = new MessageWriter().int32(196_608).cstring('user').cstring('skyql').byte(0).take();
  const out = Buffer.alloc(body.length + 4);
  out.writeInt32BE(out.length, 0);
  body.copy(out, 4);
  return out;
}

function message(type: string, fill: (writer: MessageWriter) => void = () => {}): Buffer {
  const writer = new MessageWriter();
  const at = writer.start(type);
  fill(writer);
  return writer.end(at).take();
}

const parse = (name: string, text: string, types: number[] = []) =>
  message('P', (w) => {
    w.cstring(name).cstring(text).int16(types.length);
    for (const t of types) w.int32(t);
  });
const bind = (portal: string, statement: string, params: (string | null)[] = []) =>
  message('B', (w) => {
    w.cstring(portal).cstring(statement).int16(0).int16(params.length);
    for (const param of params)
      if (param === null) w.int32(-1);
      else w.sized(param);
    w.int16(0);
  });
const describe = (target: 'S' | 'P', name: string) => message('D', (w) => w.byte(target.charCodeAt(0)).cstring(name));
const execute = (portal: string, rows = 0) => message('E', (w) => w.cstring(portal).int32(rows));
const close = (target: 'S' | 'P', name: string) => message('C', (w) => w.byte(target.charCodeAt(0)).cstring(name));
const sync = () => message('S');
const types = (messages: Message[]) => messages.map((m) => m.type).join('');
const fieldsOf = (error: Message) =>
  Object.fromEntries(
    error.body
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((field) => [field[0], field.slice(1)]),
  );

async function client() {
  harness = await startHarness();
  const raw = await rawClient(harness.server.port);
  return raw;
}

it('logs in: AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery', async () => {
  harness = await startHarness();
  const socket = connect(harness.server.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.write(startup());
  while (!Buffer.concat(received).includes(Buffer.from('Z\0\0\0\x05I'))) await new Promise((resolve) => setTimeout(resolve, 5));
  const bytes = Buffer.concat(received);
  expect(bytes[0]).toBe('R'.charCodeAt(0));
  expect(bytes.includes(Buffer.from('server_version\x0015.0\0'))).toBe(true);
  expect(bytes.includes(Buffer.from('K\0\0\0\x0c'))).toBe(true);
  socket.destroy();
});

it('Describe of a prepared statement: its parameters, and its columns when it has none', async () => {
  const raw = await client();
  await raw.untilReady();
  raw.send(
    parse('plain', 'SHOW PROVIDERS'),
    describe('S', 'plain'),
    parse('with', `SELECT name FROM azure.data_factory.factories WHERE subscriptionId = $1 AND resourceGroupName = $2::text`),
    describe('S', 'with'),
    sync(),
  );
  const answer = await raw.untilReady();
  expect(types(answer)).toBe('1tT1tnZ');
  const described = answer[2].body;
  expect(described.readInt16BE(0)).toBeGreaterThan(0);
  const params = answer[4].body;
  expect([params.readInt16BE(0), params.readInt32BE(2), params.readInt32BE(6)]).toEqual([2, 25, 25]);
  raw.send(bind('', 'with', [SUB, 'rg-b']), describe('P', ''), execute(''), sync());
  const rows = await raw.untilReady();
  expect(types(rows)).toBe('2TDDCZ');
  expect(rows[4].body.toString()).toBe('SELECT 2\0');
  raw.close();
});

it('an error skips the messages up to Sync, then the connection goes on; Close and an empty statement', async () => {
  const raw = await client();
  await raw.untilReady();
  raw.send(bind('', 'missing'), execute(''), parse('x', 'SHOW PROVIDERS'), sync());
  const failed = await raw.untilReady();
  expect(types(failed)).toBe('EZ');
  expect(fieldsOf(failed[0])).toMatchObject({ C: '26000', S: 'ERROR' });
  raw.send(
    parse('x', 'SHOW PROVIDERS'),
    bind('p', 'x'),
    execute('p', 0),
    close('P', 'p'),
    close('S', 'x'),
    parse('', ' -- nothing\n'),
    bind('', ''),
    execute(''),
    sync(),
  );
  expect(types(await raw.untilReady())).toBe('12DC3312IZ');
  raw.send(bind('', 'x'), sync());
  expect(fieldsOf((await raw.untilReady())[0])).toMatchObject({ C: '26000' });
  raw.close();
});

it('a message the protocol does not know ends the connection with 08P01', async () => {
  const raw = await client();
  await raw.untilReady();
  raw.send(message('W'), sync());
  const [fatal] = await raw.ended;
  expect(fatal.type).toBe('E');
  expect(fieldsOf(fatal)).toMatchObject({ S: 'FATAL', C: '08P01' });
});
