// Backend messages of the PostgreSQL wire protocol (protocol 3.0), each a type byte, an Int32
// length that counts itself, and a body. https://www.postgresql.org/docs/current/protocol-message-formats.html

/** Up to this many bytes, `take` copies (cheap) rather than handing its buffer over. */
const COPY_BYTES = 16 * 1024;

/**
 * Appends to a growing buffer; strings are written as UTF-8. Its buffers are its own memory
 * (allocUnsafeSlow, never a slice of Node's shared pool): a buffer handed to the socket and given
 * back is written again, and must not be memory some other code (an HTTP request body) still uses.
 */
export class MessageWriter {
  private buffer: Buffer;
  private length = 0;
  /** Buffers given back by `recycle`, free to write into. */
  private readonly spare: Buffer[] = [];
  /** What `take` handed over (a view of the start of a buffer) → that whole buffer, until given back. */
  private readonly handedOver = new WeakMap<Buffer, Buffer>();

  constructor(size = 1024) {
    this.buffer = Buffer.allocUnsafeSlow(size);
  }

  /** Room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
  byte(value: number): this {
    this.ensure(1);
    this.buffer[this.length++] = value;
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.buffer.writeInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A string and its NUL terminator. NULs inside are dropped: the protocol cannot carry them. */
  cstring(value: string): this {
    const text = value.includes('\0') ? value.replaceAll('\0', '') : value;
    this.ensure(text.length * 3 + 1);
    this.length += this.buffer.write(text, this.length, 'utf8');
    this.buffer[this.length++] = 0;
    return this;
  }

  /** An Int32 byte count, then the text as UTF-8 (a DataRow cell). */
  sized(value: string): this {
    const length = value.length;
    this.ensure(length * 3 + 4);
    const buffer = this.buffer;
    const start = this.length + 4;
    // Short ASCII text (most cells) is copied here: cheaper than a call into native code per cell.
    let ascii = length <= 64;
    for (let i = 0; ascii && i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 127) ascii = false;
      else buffer[start + i] = code;
    }
    const written = ascii ? length : buffer.write(value, start, 'utf8');
    buffer.writeInt32BE(written, this.length);
    this.length = start + written;
    return this;
  }

  /** An Int32 byte count, then a safe integer's decimal digits (a DataRow cell, without a string made). */
  sizedInteger(value: number): this {
    this.ensure(4 + 17);
    const buffer = this.buffer;
    let at = this.length + 4;
    let rest = value;
    if (rest < 0) {
      buffer[at++] = 45; // '-'
      rest = -rest;
    }
    const first = at;
    do {
      buffer[at++] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    buffer.subarray(first, at).reverse();
    buffer.writeInt32BE(at - this.length - 4, this.length);
    this.length = at;
    return this;
  }

  /** Starts a message: its type byte and a length filled in by `end`. */
  start(type: string): number {
    this.byte(type.charCodeAt(0));
    const at = this.length;
    this.int32(0);
    return at;
  }

  end(lengthAt: number): this {
    this.buffer.writeInt32BE(this.length - lengthAt, lengthAt);
    return this;
  }

  get size(): number {
    return this.length;
  }

  /**
   * The bytes written so far, and the writer emptied. A few bytes are copied; many are handed
   * over, and the writer goes on in a buffer given back (`recycle`) once the socket is done with one.
   */
  take(): Buffer {
    const length = this.length;
    this.length = 0;
    if (length <= COPY_BYTES) return Buffer.from(this.buffer.subarray(0, length));
    const out = this.buffer.subarray(0, length);
    this.handedOver.set(out, this.buffer);
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.buffer.length);
    return out;
  }

  /** A buffer `take` returned, free again (its write is done): one it handed over is reused instead of a new one. */
  recycle(taken: Buffer): void {
    const whole = this.handedOver.get(taken);
    if (!whole) return;
    this.handedOver.delete(taken);
    if (whole.length >= this.buffer.length && this.spare.length < 2) this.spare.push(whole);
  }
}

function message(type: string, body: (writer: MessageWriter) => void): Buffer {
  const writer = new MessageWriter(64);
  const at = writer.start(type);
  body(writer);
  return writer.end(at).take();
}

export const authenticationOk = (): Buffer => message('R', (w) => w.int32(0));

export const authenticationSasl = (mechanisms: readonly string[]): Buffer =>
  message('R', (w) => {
    w.int32(10);
    for (const mechanism of mechanisms) w.cstring(mechanism);
    w.byte(0);
  });

export const authenticationSaslContinue = (data: string): Buffer => message('R', (w) => w.int32(11).bytes(Buffer.from(data, 'utf8')));

export const authenticationSaslFinal = (data: string): Buffer => message('R', (w) => w.int32(12).bytes(Buffer.from(data, 'utf8')));

export const parameterStatus = (name: string, value: string): Buffer => message('S', (w) => w.cstring(name).cstring(value));

export const backendKeyData = (processId: number, secretKey: number): Buffer => message('K', (w) => w.int32(processId).int32(secretKey));

export type TransactionStatus = 'I' | 'T' | 'E';

export const readyForQuery = (status: TransactionStatus): Buffer => message('Z', (w) => w.byte(status.charCodeAt(0)));

export const parseComplete = (): Buffer => message('1', () => {});
export const bindComplete = (): Buffer => message('2', () => {});
export const closeComplete = (): Buffer => message('3', () => {});
export const noData = (): Buffer => message('n', () => {});
export const emptyQueryResponse = (): Buffer => message('I', () => {});
export const portalSuspended = (): Buffer => message('s', () => {});

export const commandComplete = (tag: string): Buffer => message('C', (w) => w.cstring(tag));

export const parameterDescription = (oids: readonly number[]): Buffer =>
  message('t', (w) => {
    w.int16(oids.length);
    for (const oid of oids) w.int32(oid);
  });

export interface FieldDescription {
  readonly name: string;
  readonly typeOid: number;
  /** pg_type.typlen: 8 for int8 and float8, 1 for bool, -1 for variable-length types. */
  readonly typeSize: number;
  /** 0 text, 1 binary. */
  readonly format: 0 | 1;
}

export const rowDescription = (fields: readonly FieldDescription[]): Buffer =>
  message('T', (w) => {
    w.int16(fields.length);
    for (const field of fields) w.cstring(field.name).int32(0).int16(0).int32(field.typeOid).int16(field.typeSize).int32(-1).int16(field.format);
  });

/** The fields of an ErrorResponse or NoticeResponse, by their one-letter codes. */
export interface Report {
  readonly severity: 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE';
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character position in the statement text. */
  readonly position?: number;
}

function report(type: 'E' | 'N', fields: Report): Buffer {
  return message(type, (w) => {
    w.byte(0x53).cstring(fields.severity); // S
    w.byte(0x56).cstring(fields.severity); // V: not localized
    w.byte(0x43).cstring(fields.code); // C
    w.byte(0x4d).cstring(fields.message); // M
    if (fields.detail) w.byte(0x44).cstring(fields.detail); // D
    if (fields.hint) w.byte(0x48).cstring(fields.hint); // H
    if (fields.position !== undefined) w.byte(0x50).cstring(String(fields.position)); // P
    w.byte(0);
  });
}

export const errorResponse = (fields: Report): Buffer => report('E', fields);
export const noticeResponse = (fields: Report): Buffer => report('N', fields);
