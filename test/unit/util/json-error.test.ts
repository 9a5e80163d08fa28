import { describe, expect, it } from 'vitest';
import { describeJsonError, jsonErrorPosition } from '../../../src/util/json-error.ts';

describe('jsonErrorPosition', () => {
  it('is undefined for valid JSON', () => {
    for (const text of ['{}', ' [1, -2.5e+3, true, false, null, "a\\"\\u00e9"] ', '{"a":{"b":[{}]}}', '"x"', '0']) {
      expect(jsonErrorPosition(text), text).toBeUndefined();
    }
  });

  it('gives the line and column where the text stops being JSON', () => {
    expect(jsonErrorPosition('{a}')).toEqual({ line: 1, column: 2 });
    expect(jsonErrorPosition('{"a": tru}')).toEqual({ line: 1, column: 7 });
    expect(jsonErrorPosition('{"a":1,}')).toEqual({ line: 1, column: 8 });
    expect(jsonErrorPosition('[1,]')).toEqual({ line: 1, column: 4 });
    expect(jsonErrorPosition('\n\n  {"a" 1}')).toEqual({ line: 3, column: 8 });
    expect(jsonErrorPosition('{"a":1} x')).toEqual({ line: 1, column: 9 });
    expect(jsonErrorPosition('{"a":"x\ny"}')).toEqual({ line: 1, column: 8 });
  });

  it("is 'end' when the text stops too soon", () => {
    for (const text of ['', '  ', '{"a":', '[1,2', '{"a":"open']) expect(jsonErrorPosition(text), text).toBe('end');
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['{"a":01}', '{"a":1e}', '{"a":"\\q"}', "{'a':1}", '[1 2]', '{"a" 1}', 'nul', '-', '+1', '.5']) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(jsonErrorPosition(text), text).toBeDefined();
    }
  });
});

describe('describeJsonError', () => {
  it('says where, never what', () => {
    expect(describeJsonError('{"token": sk-SECRET}')).toBe('at line 1, column 11');
    expect(describeJsonError('{"token": "sk-SECRET"')).toBe('it ends too soon');
  });
});
