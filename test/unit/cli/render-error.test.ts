import { describe, expect, it } from 'vitest';
import { renderError } from '../../../src/cli/render-error.ts';
import { EngineError, spanAt } from '../../../src/errors.ts';

describe('renderError', () => {
  it('escapes control characters in the message and the hint', () => {
    const error = new EngineError('HTTP_STATUS', 'HTTP 404 Bad\x1b[2J: msg \u202e', { hint: 'x-ms-request-id: r\x9b1' });
    expect(renderError(error)).toBe('error[HTTP_STATUS]: HTTP 404 Bad\\x1b[2J: msg \\u202e\n  hint: x-ms-request-id: r\\x9b1\n');
  });

  it('keeps the caret under the token when the line holds tabs and control characters', () => {
    const sql = "SELECT 1;\n\tSELECT '\x1b[2J' FRM x;";
    const offset = sql.indexOf('FRM');
    const error = new EngineError('SQL_SYNTAX', 'unexpected FRM', { span: spanAt(sql, offset, 3) });
    const lines = renderError(error, sql).split('\n');
    expect(lines[3]).toBe("2 |         SELECT '\\x1b[2J' FRM x;");
    expect(lines[4].indexOf('^')).toBe(lines[3].indexOf('FRM'));
    expect(lines[4].match(/\^/g)).toHaveLength(3);
  });

  it('a CRLF script shows its line without the carriage return', () => {
    const sql = 'SELECT 1;\r\nSELECT FRM;\r\n';
    const error = new EngineError('SQL_SYNTAX', 'unexpected FRM', { span: spanAt(sql, sql.indexOf('FRM'), 3) });
    expect(renderError(error, sql).split('\n')[3]).toBe('2 | SELECT FRM;');
  });
});
