// Frontend messages of the PostgreSQL wire protocol: framing of the byte stream, then each
// message's fields. Untrusted input: every length is checked before it is used.

/** Startup packets are small; a longer one is not a client speaking the protocol. */
const MAX_STARTUP_BYTES = 10_000;
/** The largest message read (a statement with its parameters). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export const PROTOCOL_3 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;

export class ProtocolError extends Error {}

export interface Frame {
  /** The type byte as a character; '' for a startup-phase packet (which has none). */
  readonly type: string;
  readonly body: Buffer;
}

/** Cuts the byte stream into messages. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private bytes = 0;

  /** Bytes received and not yet taken as messages. */
  get buffered(): number {
    return this.bytes;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** The next whole message, or undefined until more bytes arrive. `startup`: no type byte. */
  next(startup: boolean): Frame | undefined {
    const header = startup ? 4 : 5;
    if (this.bytes < header) return undefined;
    const head = this.peek(header);
    const length = head.readInt32BE(startup ? 0 : 1);
    const limit = startup ? MAX_STARTUP_BYTES : MAX_MESSAGE_BYTES;
    if (length < 4 || length > limit) throw new ProtocolError(`invalid message length ${length}`);
    const total = length + (startup ? 0 : 1);
    if (this.bytes < total) return undefined;
    const whole = this.consume(total);
    return { type: startup ? '' : String.fromCharCode(whole[0]), body: whole.subarray(header) };
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0].length < bytes) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private consume(bytes: number): Buffer {
    const first = this.peek(bytes);
    const taken = first.subarray(0, bytes);
    if (first.length === bytes) this.chunks.shift();
    else this.chunks[0] = first.subarray(bytes);
    this.bytes -= bytes;
    return taken;
  }
}

/** Reads fields from one message's body. */
export class FieldReader {
  private readonly body: Buffer;
  private offset = 0;

  constructor(body: Buffer) {
    this.body = body;
  }

  int16(): number {
    this.need(2);
    const value = this.body.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.body.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  byte(): number {
    this.need(1);
    return this.body[this.offset++];
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.offset);
    if (end === -1) throw new ProtocolError('a string is not terminated');
    const value = this.body.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  bytes(count: number): Buffer {
    this.need(count);
    const value = this.body.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }

  rest(): Buffer {
    return this.bytes(this.body.length - this.offset);
  }

  get done(): boolean {
    return this.offset >= this.body.length;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.body.length) throw new ProtocolError('a message is shorter than its fields');
  }
}

export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly processId: number; readonly secretKey: number }
  | { readonly kind: 'startup'; readonly parameters: Readonly<Record<string, string>> }
  | { readonly kind: 'unsupported'; readonly version: number };

export function readStartupPacket(body: Buffer): StartupPacket {
  const fields = new FieldReader(body);
  const code = fields.int32();
  if (code === SSL_REQUEST) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST) return { kind: 'cancel', processId: fields.int32(), secretKey: fields.int32() };
  if (code >> 16 !== 3) return { kind: 'unsupported', version: code };
  const parameters: Record<string, string> = Object.create(null);
  for (;;) {
    const name = fields.cstring();
    if (name === '') break;
    parameters[name] = fields.cstring();
  }
  return { kind: 'startup', parameters };
}

export interface ParseMessage {
  readonly name: string;
  readonly text: string;
  readonly paramTypes: readonly number[];
}

export function readParse(body: Buffer): ParseMessage {
  const fields = new FieldReader(body);
  const name = fields.cstring();
  const text = fields.cstring();
  const count = fields.int16();
  const paramTypes = Array.from({ length: count }, () => fields.int32());
  return { name, text, paramTypes };
}

export interface BindMessage {
  readonly portal: string;
  readonly statement: string;
  /** Per parameter: 0 text, 1 binary (expanded from the message's 0, 1 or n codes). */
  readonly paramFormats: readonly number[];
  /** null for SQL NULL. */
  readonly params: readonly (Buffer | null)[];
  /** The result columns' formats as sent: none (all text), one for all, or one per column. */
  readonly resultFormats: readonly number[];
}

export function readBind(body: Buffer): BindMessage {
  const fields = new FieldReader(body);
  const portal = fields.cstring();
  const statement = fields.cstring();
  const formatCodes = Array.from({ length: fields.int16() }, () => fields.int16());
  const count = fields.int16();
  const params = Array.from({ length: count }, () => {
    const length = fields.int32();
    return length === -1 ? null : fields.bytes(length);
  });
  const resultFormats = Array.from({ length: fields.int16() }, () => fields.int16());
  if (formatCodes.length > 1 && formatCodes.length !== count)
    throw new ProtocolError('Bind has a format code count that is neither 0, 1 nor the parameter count');
  const paramFormats = params.map((_, i) => (formatCodes.length === 0 ? 0 : formatCodes.length === 1 ? formatCodes[0] : formatCodes[i]));
  return { portal, statement, paramFormats, params, resultFormats };
}

export interface TargetMessage {
  /** 'S' a prepared statement, 'P' a portal. */
  readonly target: 'S' | 'P';
  readonly name: string;
}

/** Describe and Close name a statement or a portal the same way. */
export function readTarget(body: Buffer): TargetMessage {
  const fields = new FieldReader(body);
  const target = String.fromCharCode(fields.byte());
  if (target !== 'S' && target !== 'P') throw new ProtocolError(`expected S or P, got "${target}"`);
  return { target, name: fields.cstring() };
}

export function readExecute(body: Buffer): { readonly portal: string; readonly maxRows: number } {
  const fields = new FieldReader(body);
  return { portal: fields.cstring(), maxRows: fields.int32() };
}

export function readQuery(body: Buffer): string {
  return new FieldReader(body).cstring();
}

/** SASLInitialResponse: the mechanism, then the client's first message. */
export function readSaslInitial(body: Buffer): { readonly mechanism: string; readonly data: string } {
  const fields = new FieldReader(body);
  const mechanism = fields.cstring();
  const length = fields.int32();
  return { mechanism, data: length === -1 ? '' : fields.bytes(length).toString('utf8') };
}
