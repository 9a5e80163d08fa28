// One client connection: startup, TLS, authentication, then the simple and extended query
// protocols, one message at a time (a message waits until the statement before it is done).

import type { Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import type { Engine } from '../engine.ts';
import type { PartialOutcome } from '../exec/execute.ts';
import { EngineError, toEngineError } from '../errors.ts';
import { tokenize } from '../sql/lexer.ts';
import { splitStatements } from '../sql/split.ts';
import { answerLocally, type LocalAnswer, type ServerFacts } from './compat.ts';
import type { ResolvedServerOptions } from './options.ts';
import { bindParams, findParams, paramType, type BoundStatement, type ParamSlots } from './params.ts';
import { columnType, fieldDescription, OID, ParamError, readParam, resultFormats } from './pg-types.ts';
import { ScramError, ScramExchange, SCRAM_MECHANISM, scramSecret } from './scram.ts';
import { defaultSettings, REPORTED_NAMES, REPORTED_SETTINGS, Session } from './session.ts';
import { SERVER_SQLSTATE, sqlstateOf } from './sqlstate.ts';
import { RowSender, type Described } from './rows.ts';
import { RunningStatement } from './statement.ts';
import {
  FrameReader,
  ProtocolError,
  readBind,
  readExecute,
  readParse,
  readQuery,
  readSaslInitial,
  readStartupPacket,
  readTarget,
  type Frame,
} from './wire-read.ts';
import * as wire from './wire-write.ts';

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly engine: Engine;
  readonly options: ResolvedServerOptions;
  /** Takes a connection slot; false when the server is full. */
  admit(connection: Connection): boolean;
  /** Aborts the statement running on the connection with this key (CancelRequest). */
  cancel(processId: number, secretKey: number): void;
  closed(connection: Connection): void;
  /** Aborted when the server shuts down and its grace period is over. */
  readonly shutdown: AbortSignal;
}

type Phase = 'startup' | 'sasl-initial' | 'sasl-final' | 'ready' | 'closed';

interface Prepared {
  readonly slots: ParamSlots;
  readonly paramTypes: readonly number[];
}

interface StatementControl {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
}

interface Portal {
  readonly bound: BoundStatement;
  readonly rewritten: boolean;
  readonly formats: readonly number[];
  local?: LocalAnswer;
  run?: RunningStatement;
  statement?: StatementControl;
  sender?: RowSender;
  described?: Described;
  done?: boolean;
}

/** Bytes read ahead of the statements that run: pipelining, not an unbounded queue. */
const MAX_BUFFERED_INPUT = 32 * 1024 * 1024;

/** The secret that no password matches: an unknown user goes through the same exchange and fails. */
const NO_SECRET_PASSWORD = 'no user has this password: skyql mock authentication';

export class Connection {
  readonly processId: number;
  readonly secretKey: number;
  private stream: Socket;
  private readonly host: ConnectionHost;
  private readonly reader = new FrameReader();
  private phase: Phase = 'startup';
  private session?: Session;
  private facts?: ServerFacts;
  private user = '';
  private scram?: ScramExchange;
  private readonly statements = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  private skipUntilSync = false;
  private pumping = false;
  private running?: AbortController;
  private draining = false;
  private readonly loginTimer: NodeJS.Timeout;
  private readonly out = new wire.MessageWriter(4096);

  constructor(socket: Socket, host: ConnectionHost, processId: number, secretKey: number) {
    this.stream = socket;
    this.host = host;
    this.processId = processId;
    this.secretKey = secretKey;
    socket.setNoDelay(true);
    this.listen(socket);
    socket.on('close', () => this.close());
    this.loginTimer = setTimeout(() => this.phase !== 'ready' && this.fatal('08P01', 'the client did not log in in time'), host.options.loginTimeoutMs).unref();
  }

  /** Whether a statement is running (shutdown waits for it). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** CancelRequest: stops the running statement, if any. */
  cancelStatement(): void {
    this.running?.abort('cancel');
  }

  /** Shutdown: an idle connection ends now, a busy one once its statement is done. */
  drain(): void {
    this.draining = true;
    if (!this.busy) this.fatal(SERVER_SQLSTATE.adminShutdown, 'terminating connection due to administrator command');
  }

  /** Shutdown's grace period is over: the running statement is cancelled and the connection ends. */
  terminate(): void {
    this.running?.abort('shutdown');
    this.fatal(SERVER_SQLSTATE.adminShutdown, 'terminating connection due to administrator command');
  }

  private listen(stream: Socket): void {
    stream.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      // A client that sends faster than its statements run is read no further until they catch up.
      if (this.reader.buffered > MAX_BUFFERED_INPUT) stream.pause();
      void this.pump();
    });
    stream.on('error', () => this.close());
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let frame = this.reader.next(this.phase === 'startup'); frame && this.phase !== 'closed'; frame = this.reader.next(this.phase === 'startup')) {
        await this.handle(frame);
        if (this.stream.isPaused() && this.reader.buffered < MAX_BUFFERED_INPUT / 2) this.stream.resume();
      }
    } catch (error) {
      if (error instanceof ProtocolError) this.fatal(SERVER_SQLSTATE.protocolViolation, `protocol violation: ${error.message}`);
      else this.fatal('XX000', `internal error: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.pumping = false;
      // No whole message is left: what is buffered is less than one message.
      if (this.stream.isPaused() && this.phase !== 'closed') this.stream.resume();
    }
  }

  private async handle(frame: Frame): Promise<void> {
    switch (this.phase) {
      case 'startup':
        return this.startup(frame.body);
      case 'sasl-initial':
      case 'sasl-final':
        return this.authenticate(frame);
      case 'ready':
        return this.message(frame);
      default:
        return undefined;
    }
  }

  // ---- startup and authentication ----

  private async startup(body: Buffer): Promise<void> {
    const packet = readStartupPacket(body);
    if (packet.kind === 'cancel') {
      this.host.cancel(packet.processId, packet.secretKey);
      return this.close();
    }
    if (packet.kind === 'gssenc') return void this.stream.write('N');
    if (packet.kind === 'ssl') return this.startTls();
    if (packet.kind === 'unsupported')
      return this.fatal(
        SERVER_SQLSTATE.featureNotSupported,
        `unsupported frontend protocol ${packet.version >> 16}.${packet.version & 0xffff}: skyql speaks 3.0`,
      );
    const options = this.host.options;
    this.user = packet.parameters.user ?? '';
    if (!this.user) return this.fatal(SERVER_SQLSTATE.invalidAuthorization, 'no user name was given');
    if (!this.host.admit(this)) return this.fatal(SERVER_SQLSTATE.tooManyConnections, 'sorry, too many clients already');
    this.session = new Session(
      defaultSettings({ user: this.user, applicationName: packet.parameters.application_name ?? '', readOnly: options.readOnly, version: options.version }),
    );
    for (const [name, value] of Object.entries(packet.parameters))
      if (!['user', 'database', 'options', 'replication'].includes(name)) this.session.set(name, value);
    if (options.clientCertificates) return this.certificateLogin(packet.parameters.database ?? this.user);
    if (options.secret) {
      this.scram = new ScramExchange(this.user === options.user ? options.secret : scramSecret(NO_SECRET_PASSWORD, options.secret.salt));
      this.phase = 'sasl-initial';
      return void this.stream.write(wire.authenticationSasl([SCRAM_MECHANISM]));
    }
    this.loginDone(packet.parameters.database ?? this.user);
  }

  private startTls(): void {
    const tls = this.host.options.tls;
    if (!tls || this.stream instanceof TLSSocket) return void this.stream.write('N');
    // Bytes sent after the SSLRequest and before the handshake would be read as if they were encrypted.
    if (this.reader.next(true)) throw new ProtocolError('data after SSLRequest');
    const plain = this.stream;
    plain.removeAllListeners('data');
    // A TLSSocket made directly does not check client certificates: a tls.Server does (one per
    // handshake, so that each socket it secures is the one handed to it).
    const certificates = this.host.options.clientCertificates;
    const handshake = createTlsServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: certificates, rejectUnauthorized: certificates });
    handshake.once('secureConnection', (secure: TLSSocket) => {
      this.stream = secure;
      this.listen(secure);
    });
    handshake.once('tlsClientError', (error: Error) => {
      this.host.options.log(`TLS handshake failed: ${error.message}`);
      this.close();
    });
    plain.write('S', () => handshake.emit('connection', plain));
  }

  private certificateLogin(database: string): void {
    const secure = this.stream instanceof TLSSocket ? this.stream : undefined;
    if (!secure?.authorized)
      return this.fatal(
        SERVER_SQLSTATE.invalidAuthorization,
        'this server requires a TLS connection with a client certificate (sslmode=require with sslcert and sslkey)',
      );
    const commonName = secure.getPeerCertificate().subject?.CN;
    if (commonName !== this.user)
      return this.fatal(
        SERVER_SQLSTATE.invalidAuthorization,
        `certificate authentication failed for user "${this.user}": the certificate is for "${String(commonName)}"`,
      );
    this.loginDone(database);
  }

  private authenticate(frame: Frame): void {
    if (frame.type !== 'p') throw new ProtocolError(`expected a SASL response, got "${frame.type}"`);
    try {
      if (this.phase === 'sasl-initial') {
        const initial = readSaslInitial(frame.body);
        if (initial.mechanism !== SCRAM_MECHANISM) return this.fatal(SERVER_SQLSTATE.invalidAuthorization, `unsupported SASL mechanism ${initial.mechanism}`);
        this.stream.write(wire.authenticationSaslContinue(this.scram!.start(initial.data)));
        this.phase = 'sasl-final';
        return;
      }
      const outcome = this.scram!.finish(frame.body.toString('utf8'));
      if (!outcome.ok || this.user !== this.host.options.user) {
        this.host.options.log(`login refused for user "${this.user}": ${outcome.ok ? 'unknown user' : outcome.reason}`);
        return this.fatal(SERVER_SQLSTATE.invalidPassword, `password authentication failed for user "${this.user}"`);
      }
      this.stream.write(wire.authenticationSaslFinal(outcome.serverFinal));
      this.loginDone(this.user);
    } catch (error) {
      if (error instanceof ScramError)
        return this.fatal(SERVER_SQLSTATE.invalidPassword, `password authentication failed for user "${this.user}": ${error.message}`);
      throw error;
    }
  }

  private loginDone(database: string): void {
    clearTimeout(this.loginTimer);
    this.facts = { version: this.host.options.version, database, user: this.user, processId: this.processId };
    this.phase = 'ready';
    this.send(wire.authenticationOk());
    for (const name of REPORTED_SETTINGS) this.send(wire.parameterStatus(REPORTED_NAMES[name] ?? name, this.session!.settings.get(name) ?? ''));
    this.send(wire.backendKeyData(this.processId, this.secretKey));
    this.readyForQuery();
  }

  // ---- messages after login ----

  private async message(frame: Frame): Promise<void> {
    if (frame.type === 'X') return this.close();
    if (this.skipUntilSync && frame.type !== 'S') return;
    try {
      switch (frame.type) {
        case 'Q':
          return await this.simpleQuery(readQuery(frame.body));
        case 'P':
          return this.parse(frame.body);
        case 'B':
          return this.bind(frame.body);
        case 'D':
          return await this.describe(frame.body);
        case 'E':
          return await this.execute(frame.body);
        case 'S':
          return this.sync();
        case 'H':
          return void this.flush();
        case 'C':
          return this.closeTarget(frame.body);
        case 'd':
        case 'c':
        case 'f':
          return undefined; // COPY data with no COPY running: ignored, as PostgreSQL does
        case 'F':
          throw serverError(SERVER_SQLSTATE.featureNotSupported, 'skyql[SQL_UNSUPPORTED]: the function call protocol is not supported');
        default:
          throw new ProtocolError(`unknown message type "${frame.type}"`);
      }
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      this.sendError(error);
      if (frame.type !== 'Q') this.skipUntilSync = true;
      else this.readyForQuery();
    }
  }

  private async simpleQuery(text: string): Promise<void> {
    const statements = splitScript(text);
    if (statements.length === 0) this.send(wire.emptyQueryResponse());
    for (const { statement, offset } of statements) {
      try {
        await this.runSimple(statement);
      } catch (error) {
        this.sendError(error, offset);
        break;
      }
    }
    this.readyForQuery();
    if (this.draining) this.drain();
  }

  private async runSimple(statement: string): Promise<void> {
    const local = answerLocally(statement, this.session!, this.facts!);
    if (local) return this.sendLocal(local, [], true);
    await this.asCurrent(this.newStatement(), async (signal) => {
      const run = new RunningStatement(this.host.engine, statement, {
        vars: this.session!.vars(),
        signal,
        readOnly: this.host.options.readOnly,
        onNotice: this.notice,
      });
      try {
        const sender = new RowSender(run, [], this.out, () => this.flush());
        await sender.describe(true);
        await sender.send(0);
      } finally {
        run.abandon();
      }
    });
  }

  private parse(body: Buffer): void {
    const message = readParse(body);
    if (message.name !== '' && this.statements.has(message.name)) throw serverError('42P05', `prepared statement "${message.name}" already exists`);
    if (splitScript(message.text).length > 1) throw serverError('42601', 'cannot insert multiple commands into a prepared statement');
    this.statements.set(message.name, { slots: findParams(message.text), paramTypes: message.paramTypes });
    this.send(wire.parseComplete());
  }

  private bind(body: Buffer): void {
    const message = readBind(body);
    const prepared = this.statements.get(message.statement);
    if (!prepared) throw serverError(SERVER_SQLSTATE.undefinedStatement, `prepared statement "${message.statement}" does not exist`);
    if (message.portal !== '' && this.portals.has(message.portal)) throw serverError('42P03', `portal "${message.portal}" already exists`);
    let bound: BoundStatement;
    try {
      const values = message.params.map((bytes, i) => readParam(bytes, message.paramFormats[i], paramType(prepared.slots, prepared.paramTypes, i + 1)));
      bound = bindParams(prepared.slots, values);
    } catch (error) {
      if (error instanceof ParamError) throw serverError(SERVER_SQLSTATE.invalidTextRepresentation, error.message);
      throw error;
    }
    this.closePortal(message.portal);
    this.portals.set(message.portal, { bound, rewritten: prepared.slots.slots.length > 0, formats: message.resultFormats });
    this.send(wire.bindComplete());
  }

  private async describe(body: Buffer): Promise<void> {
    const { target, name } = readTarget(body);
    if (target === 'S') return this.describeStatement(name);
    const portal = this.portal(name);
    if (portal.described) return void this.out.bytes(portal.described.message);
    if (isBlank(portal.bound.text)) return void this.out.bytes(wire.noData());
    this.startPortal(portal);
    if (portal.local) return void this.out.bytes(localDescription(portal.local, portal.formats));
    await this.asCurrent(portal.statement!, async () => {
      portal.described = await portal.sender!.describe(true);
    });
  }

  private async describeStatement(name: string): Promise<void> {
    const prepared = this.statements.get(name);
    if (!prepared) throw serverError(SERVER_SQLSTATE.undefinedStatement, `prepared statement "${name}" does not exist`);
    const types = Array.from({ length: prepared.slots.count }, (_, i) => {
      const oid = paramType(prepared.slots, prepared.paramTypes, i + 1);
      return oid === OID.unknown ? OID.text : oid;
    });
    this.out.bytes(wire.parameterDescription(types));
    const probe = new Session(new Map(this.session!.settings));
    const local = answerLocally(prepared.slots.text, probe, this.facts!);
    if (local) return void this.out.bytes(localDescription(local, []));
    // Without parameter values the statement cannot run; with none, a read runs once to learn its columns.
    if (prepared.slots.count > 0) return void this.out.bytes(wire.noData());
    await this.asCurrent(this.newStatement(), async (signal) => {
      let run: RunningStatement | undefined;
      try {
        run = new RunningStatement(this.host.engine, prepared.slots.text, { vars: this.session!.vars(), signal, readOnly: true });
        this.out.bytes((await new RowSender(run, [], new wire.MessageWriter(64), () => Promise.resolve()).describe(false)).message);
      } catch (error) {
        if (toEngineError(error).code !== 'SERVER_READ_ONLY') throw error;
        this.out.bytes(wire.noData());
      } finally {
        run?.abandon();
      }
    });
  }

  private async execute(body: Buffer): Promise<void> {
    const { portal: name, maxRows } = readExecute(body);
    const portal = this.portal(name);
    if (isBlank(portal.bound.text)) return void this.out.bytes(wire.emptyQueryResponse());
    if (portal.done) return void this.out.bytes(wire.commandComplete('SELECT 0'));
    this.startPortal(portal);
    if (portal.local) {
      portal.done = true;
      return this.sendLocal(portal.local, portal.formats, false);
    }
    await this.asCurrent(portal.statement!, async () => {
      const sender = portal.sender!;
      if (!portal.described) portal.described = await sender.describe(false);
      if (await sender.send(maxRows)) portal.done = true;
    });
  }

  /** A portal's statement starts on its first Describe or Execute. */
  private startPortal(portal: Portal): void {
    if (portal.local || portal.run) return;
    portal.local = answerLocally(portal.bound.text, this.session!, this.facts!);
    if (portal.local) return;
    const statement = this.newStatement();
    try {
      portal.run = new RunningStatement(this.host.engine, portal.bound.text, {
        vars: { ...this.session!.vars(), ...portal.bound.vars },
        signal: statement.signal,
        readOnly: this.host.options.readOnly,
        onNotice: this.notice,
      });
    } catch (error) {
      throw portal.rewritten ? withoutPosition(error) : error;
    }
    portal.statement = statement;
    portal.sender = new RowSender(portal.run, portal.formats, this.out, () => this.flush());
  }

  private sync(): void {
    this.skipUntilSync = false;
    // Portals end with their (implicit) transaction, as in PostgreSQL.
    if (!this.session!.inTransaction) for (const name of [...this.portals.keys()]) this.closePortal(name);
    this.readyForQuery();
    if (this.draining) this.drain();
  }

  private closeTarget(body: Buffer): void {
    const { target, name } = readTarget(body);
    if (target === 'S') this.statements.delete(name);
    else this.closePortal(name);
    this.send(wire.closeComplete());
  }

  private closePortal(name: string): void {
    this.portals.get(name)?.run?.abandon();
    this.portals.delete(name);
  }

  private portal(name: string): Portal {
    const portal = this.portals.get(name);
    if (!portal) throw serverError(SERVER_SQLSTATE.undefinedPortal, `portal "${name}" does not exist`);
    return portal;
  }

  // ---- running statements ----

  /** A statement's controls: cancelled by CancelRequest, the statement timeout, or shutdown. */
  private newStatement(): StatementControl {
    const controller = new AbortController();
    const timeout = statementTimeout(this.host.options.statementTimeoutMs, this.session!.settings.get('statement_timeout'));
    const signals = [controller.signal, this.host.shutdown];
    if (timeout > 0) signals.push(AbortSignal.timeout(timeout));
    return { controller, signal: AbortSignal.any(signals) };
  }

  /** Runs work as the connection's current statement, so CancelRequest reaches it. */
  private async asCurrent(statement: StatementControl, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.running = statement.controller;
    try {
      await work(statement.signal);
    } catch (error) {
      throw cancelled(error, statement.signal, statement.controller.signal);
    } finally {
      this.running = undefined;
    }
  }

  private sendLocal(answer: LocalAnswer, formats: readonly number[], withDescription: boolean): void {
    if (answer.kind === 'error') throw serverError(answer.sqlstate, answer.message, answer.hint);
    if (answer.kind === 'command') {
      this.applyEffect(answer);
      this.send(wire.commandComplete(answer.tag));
      return;
    }
    const codes = resultFormats(formats, answer.columns.length);
    const types = answer.columns.map((column) => columnType(answer.rows.map((row) => row[column] ?? null)));
    if (withDescription) this.send(wire.rowDescription(answer.columns.map((column, i) => fieldDescription(column, types[i], codes[i]))));
    RowSender.encode(this.out, answer.rows, answer.columns, types, codes);
    this.send(
      wire.commandComplete(
        answer.columns.length === 1 && answer.rows.length === 1 && !/^\?/.test(answer.columns[0]) && this.session!.settings.has(answer.columns[0])
          ? 'SHOW'
          : `SELECT ${answer.rows.length}`,
      ),
    );
  }

  private applyEffect(answer: Extract<LocalAnswer, { kind: 'command' }>): void {
    const session = this.session!;
    if (answer.effect === 'begin') session.inTransaction = true;
    if (answer.effect === 'end') session.inTransaction = false;
    if (answer.effect === 'discard') {
      session.resetAll();
      this.statements.clear();
    }
    if (answer.effect === 'deallocate') {
      const names = answer.name === undefined ? [...this.statements.keys()].filter((name) => name !== '') : [answer.name];
      for (const name of names) this.statements.delete(name);
    }
    const changed = answer.changed?.toLowerCase();
    if (changed && REPORTED_SETTINGS.includes(changed))
      this.send(wire.parameterStatus(REPORTED_NAMES[changed] ?? changed, session.settings.get(changed) ?? ''));
  }

  // ---- output ----

  /** A statement's warning or notice, sent among its results (clients show it: psql prints WARNING:). */
  private readonly notice = (severity: 'WARNING' | 'NOTICE', message: string): void => {
    this.send(wire.noticeResponse({ severity, code: severity === 'WARNING' ? '01000' : '00000', message: `skyql: ${message}` }));
  };

  private send(buffer: Buffer): void {
    if (this.phase === 'closed') return;
    this.out.bytes(buffer);
  }

  /** Writes what is pending; resolves when the socket can take more. */
  private flush(): Promise<void> {
    if (this.out.size === 0 || this.phase === 'closed') return Promise.resolve();
    const stream = this.stream;
    const bytes = this.out.take();
    if (stream.write(bytes, () => this.out.recycle(bytes))) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
  }

  private readyForQuery(): void {
    this.send(wire.readyForQuery(this.session?.inTransaction ? 'T' : 'I'));
    void this.flush();
  }

  private sendError(error: unknown, offset = 0): void {
    this.send(wire.errorResponse(errorReport(error, offset)));
  }

  private fatal(code: string, message: string): void {
    if (this.phase === 'closed') return;
    this.send(wire.errorResponse({ severity: 'FATAL', code, message }));
    void this.flush();
    this.close();
  }

  private close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    clearTimeout(this.loginTimer);
    this.running?.abort('closed');
    for (const name of [...this.portals.keys()]) this.closePortal(name);
    this.stream.end();
    this.stream.destroySoon?.();
    this.host.closed(this);
  }
}

/** The statements of a simple Query message, each with its offset in the text. */
function splitScript(text: string): { statement: string; offset: number }[] {
  try {
    return splitStatements(tokenize(text)).map((part) => ({ statement: text.slice(part.offset, part.end), offset: part.offset }));
  } catch {
    // Let the engine report the syntax error with its position.
    return text.trim() ? [{ statement: text, offset: 0 }] : [];
  }
}

/** A statement of nothing but spaces, comments and semicolons: EmptyQueryResponse, as in PostgreSQL. */
function isBlank(text: string): boolean {
  return splitScript(text).length === 0;
}

function statementTimeout(serverMs: number, sessionValue: string | undefined): number {
  const session = parseDuration(sessionValue);
  if (session > 0 && (serverMs === 0 || session < serverMs)) return session;
  return serverMs;
}

/** PostgreSQL's duration settings: a number of milliseconds, or with a unit (500ms, 30s, 5min, 1h). */
function parseDuration(value: string | undefined): number {
  const match = /^\s*'?(\d+(?:\.\d+)?)\s*(ms|s|min|h)?'?\s*$/i.exec(value ?? '');
  if (!match) return 0;
  const unit = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000 }[(match[2] ?? 'ms').toLowerCase() as 'ms'] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

class ServerError extends Error {
  readonly sqlstate: string;
  readonly hint?: string;

  constructor(sqlstate: string, message: string, hint?: string) {
    super(message);
    this.sqlstate = sqlstate;
    this.hint = hint;
  }
}

function serverError(sqlstate: string, message: string, hint?: string): ServerError {
  return new ServerError(sqlstate, message, hint);
}

/** A statement stopped by CancelRequest, the timeout or shutdown is 57014 (57P01), whatever the engine's code. */
function cancelled(error: unknown, signal: AbortSignal, own: AbortSignal): unknown {
  if (!signal.aborted || error instanceof ServerError) return error;
  const engineError = toEngineError(error);
  const code = engineError.code === 'SQL_LOCAL_CANCELLED' ? engineError.code : 'HTTP_ABORTED';
  if (own.aborted && own.reason === 'cancel')
    return serverError(SERVER_SQLSTATE.queryCanceled, `skyql[${code}]: canceling statement due to user request`, engineError.hint);
  if (own.aborted) return serverError(SERVER_SQLSTATE.adminShutdown, `skyql[${code}]: terminating statement: ${String(own.reason)}`);
  if (!own.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError') {
    return serverError(
      SERVER_SQLSTATE.queryCanceled,
      `skyql[${code}]: canceling statement due to statement timeout`,
      "raise it with SET statement_timeout, or the server's --statement-timeout",
    );
  }
  return serverError(SERVER_SQLSTATE.adminShutdown, `skyql[${code}]: terminating statement: the server is shutting down`);
}

function withoutPosition(error: unknown): unknown {
  const engineError = toEngineError(error);
  return engineError.span ? new EngineError(engineError.code, engineError.message, { hint: engineError.hint, details: engineError.details }) : engineError;
}

function errorReport(error: unknown, offset: number): wire.Report {
  if (error instanceof ServerError) return { severity: 'ERROR', code: error.sqlstate, message: error.message, hint: error.hint };
  const engineError = toEngineError(error);
  return {
    severity: 'ERROR',
    code: sqlstateOf(engineError),
    message: `skyql[${engineError.code}]: ${engineError.message}`,
    hint: engineError.hint,
    detail: partialDetail(engineError),
    position: engineError.span ? offset + engineError.span.offset + 1 : undefined,
  };
}

/** A statement of several requests that stopped part way: what each request did (as the CLI says it). */
function partialDetail(error: EngineError): string | undefined {
  const partial = error.details?.partial as PartialOutcome | undefined;
  if (!partial || !Array.isArray(partial.requests)) return undefined;
  const lines = partial.requests.map((request) => `${request.number} ${request.outcome}: ${request.method} ${request.url}`);
  return `requests: ${partial.succeeded} of ${partial.total} succeeded\n${lines.join('\n')}`;
}

function localDescription(answer: LocalAnswer, formats: readonly number[]): Buffer {
  if (answer.kind !== 'rows') return wire.noData();
  const codes = resultFormats(formats, answer.columns.length);
  return wire.rowDescription(answer.columns.map((column, i) => fieldDescription(column, columnType(answer.rows.map((row) => row[column] ?? null)), codes[i])));
}
