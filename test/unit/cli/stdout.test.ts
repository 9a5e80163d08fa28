import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CLOSED_PIPE_STATUS, guardStdout, isClosedPipe, stoppedByOutputFailure, writeFailure } from '../../../src/cli/stdout.ts';

const errno = (code: string, number: number) => Object.assign(new Error(`${code}: …, write`), { code, errno: number, syscall: 'write' });

describe('guardStdout', () => {
  it('passes writes through and reports backpressure', () => {
    const written: string[] = [];
    const stdout = guardStdout({
      write: (text) => {
        written.push(text);
        return written.length < 2;
      },
    });
    expect(stdout.write('a')).toBe(true);
    expect(stdout.write('b')).toBe(false);
    expect(written).toEqual(['a', 'b']);
    expect(stdout.failure).toBeUndefined();
    expect(stdout.signal.aborted).toBe(false);
  });

  it('a write that throws is the failure: the signal aborts with it, later writes are dropped', () => {
    const written: string[] = [];
    let full = false;
    const stdout = guardStdout({
      write: (text) => {
        if (full) throw errno('ENOSPC', -28);
        written.push(text);
      },
    });
    stdout.write('a');
    full = true;
    expect(stdout.write('b')).toBe(true);
    full = false;
    stdout.write('c');
    expect(written).toEqual(['a']);
    expect(stdout.failure?.code).toBe('OUTPUT_WRITE_FAILED');
    expect(stdout.failure?.message).toBe('writing to stdout failed: ENOSPC (no space left on device)');
    expect(stoppedByOutputFailure(stdout.signal)).toBe(true);
    expect(stoppedByOutputFailure(AbortSignal.any([new AbortController().signal, stdout.signal]))).toBe(true);
  });

  it("a stream's 'error' event is a failure too; the first one counts", () => {
    const stream = Object.assign(new EventEmitter(), { write: () => true });
    const stdout = guardStdout(stream);
    stream.emit('error', errno('EPIPE', -32));
    stream.emit('error', errno('EIO', -5));
    expect(isClosedPipe(stdout.failure!)).toBe(true);
  });

  it('drained() resolves on drain, or when the output fails while waiting', async () => {
    const stream = Object.assign(new EventEmitter(), { write: () => false });
    const stdout = guardStdout(stream);
    const drained = stdout.drained();
    stream.emit('drain');
    await drained;
    const waiting = stdout.drained();
    stream.emit('error', errno('EPIPE', -32));
    await waiting;
    await stdout.drained();
  });
});

describe('writeFailure', () => {
  it('names the errno; only EPIPE is a closed pipe', () => {
    expect(writeFailure(errno('EIO', -5)).message).toBe('writing to stdout failed: EIO (i/o error)');
    expect(isClosedPipe(writeFailure(errno('EIO', -5)))).toBe(false);
    expect(isClosedPipe(writeFailure(errno('EPIPE', -32)))).toBe(true);
    expect(writeFailure(new Error('odd')).message).toBe('writing to stdout failed: unknown error');
    expect(CLOSED_PIPE_STATUS).toBe(141);
  });
});

describe('stoppedByOutputFailure', () => {
  it('is false for Ctrl-C and for no signal', () => {
    const controller = new AbortController();
    controller.abort();
    expect(stoppedByOutputFailure(controller.signal)).toBe(false);
    expect(stoppedByOutputFailure(undefined)).toBe(false);
  });
});
