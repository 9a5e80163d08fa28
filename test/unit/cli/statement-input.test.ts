import { describe, expect, it } from 'vitest';
import { readStatements } from '../../../src/cli/statement-input.ts';

describe('where a typed statement ends (the project lexer\'s ";" tokens)', () => {
  it('a ";" at the end of a line ends the statement; one in a string, a quoted name or a comment does not', () => {
    expect(readStatements('SELECT 1;\n')).toMatchObject({ complete: 'SELECT 1;', statements: ['SELECT 1;'], rest: '' });
    expect(readStatements("SELECT 'a;\n")).toMatchObject({ complete: '', open: 'string' });
    expect(readStatements('SELECT "a;\n')).toMatchObject({ complete: '', open: 'quoted' });
    expect(readStatements('SELECT 1 /* a ;\n')).toMatchObject({ complete: '', open: 'comment' });
    expect(readStatements('SELECT 1 /* ; */ + 1\n')).toMatchObject({ complete: '', rest: 'SELECT 1 /* ; */ + 1\n' });
    expect(readStatements('SELECT 1 -- ;\n')).toMatchObject({ complete: '' });
    expect(readStatements("SELECT '{{ a;\n")).toMatchObject({ complete: '', open: 'string' });
  });

  it('a multi-line statement is one entry, its newlines kept', () => {
    const input = readStatements("SELECT name\nFROM azure.data_factory.factories\nWHERE x = 'a;b';\n");
    expect(input.statements).toEqual(["SELECT name\nFROM azure.data_factory.factories\nWHERE x = 'a;b';"]);
  });

  it('several statements on a line: each is an entry; what follows the last ";" waits for the next line', () => {
    const input = readStatements('SHOW PROVIDERS; SHOW SERVICES IN azure; SELECT\n');
    expect(input.statements).toEqual(['SHOW PROVIDERS;', 'SHOW SERVICES IN azure;']);
    expect(input.complete).toBe('SHOW PROVIDERS; SHOW SERVICES IN azure;');
    expect(input.rest).toBe(' SELECT\n');
  });

  it('blank lines and lone comments start nothing', () => {
    expect(readStatements('\n')).toMatchObject({ complete: '', rest: '' });
    expect(readStatements('-- a note\n')).toMatchObject({ complete: '', rest: '' });
    expect(readStatements('SELECT 1; -- done\n')).toMatchObject({ complete: 'SELECT 1;', rest: '' });
  });

  it('an error more lines cannot fix runs at its ";", so the engine reports it', () => {
    expect(readStatements('EXEC a.b.c.d @;\n')).toMatchObject({ complete: 'EXEC a.b.c.d @;\n' });
  });
});
