import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory, loadHistory } from '../../../src/cli/history.ts';

describe('shell history', () => {
  it('is created with mode 0600, in a private folder, newest last', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skyql-history-')), 'nested', 'history');
    appendHistory(file, 'SHOW PROVIDERS;');
    appendHistory(file, 'SHOW SERVICES IN azure;');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('SHOW PROVIDERS;\nSHOW SERVICES IN azure;\n');
    expect(loadHistory(file)).toEqual(['SHOW SERVICES IN azure;', 'SHOW PROVIDERS;']);
  });

  it('tightens an existing file that others could read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skyql-history-')), 'history');
    writeFileSync(file, 'old;\n');
    chmodSync(file, 0o644);
    appendHistory(file, 'new;');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps a multi-line statement as one entry (a JSON string line); older plain lines still load', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skyql-history-')), 'history');
    writeFileSync(file, 'SHOW PROVIDERS;\n', { mode: 0o600 });
    appendHistory(file, 'SELECT name\nFROM azure.data_factory.factories;');
    appendHistory(file, '"quoted" is not JSON;');
    expect(readFileSync(file, 'utf8')).toBe('SHOW PROVIDERS;\n"SELECT name\\nFROM azure.data_factory.factories;"\n"\\"quoted\\" is not JSON;"\n');
    expect(loadHistory(file)).toEqual(['"quoted" is not JSON;', 'SELECT name\nFROM azure.data_factory.factories;', 'SHOW PROVIDERS;']);
  });

  it('loading tightens a file others could read, and skips one another user owns', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skyql-history-')), 'history');
    writeFileSync(file, 'old;\n');
    chmodSync(file, 0o644);
    expect(loadHistory(file)).toEqual(['old;']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadHistory(file, statSync(file).uid + 1)).toEqual([]);
  });

  it('a statement run again is recalled once, at its latest place', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skyql-history-')), 'history');
    for (const entry of ['a;', 'b;', 'a;']) appendHistory(file, entry);
    expect(loadHistory(file)).toEqual(['a;', 'b;']);
  });

  it('a file grown past 512 KiB is cut to its newest 1000 entries', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skyql-history-')), 'history');
    writeFileSync(file, `${Array.from({ length: 3000 }, (_, i) => `SELECT ${i} AS ${'x'.repeat(200)};`).join('\n')}\n`, { mode: 0o600 });
    appendHistory(file, 'last;');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1000);
    expect(lines.at(-1)).toBe('last;');
  });

  it('a missing file is an empty history', () => {
    expect(loadHistory('/nonexistent/skyql/history')).toEqual([]);
  });
});
