import { describe, expect, it } from 'vitest';
import { copyJson } from '../../src/jobs/copy-json.js';

describe('copyJson', () => {
  it('copies a JSON value deeply: equal to structuredClone, sharing nothing with the original', () => {
    const value = {
      id: 'a',
      n: 1.5,
      none: null,
      yes: true,
      list: [1, 'two', { three: [3] }, null, []],
      nested: { deeper: { deepest: { text: 'x' } } },
    };
    const copy = copyJson(value);
    expect(copy).toStrictEqual(structuredClone(value));
    copy.nested.deeper.deepest.text = 'changed';
    (copy.list[2] as { three: number[] }).three.push(4);
    expect(value.nested.deeper.deepest.text).toBe('x');
    expect((value.list[2] as { three: number[] }).three).toEqual([3]);
  });

  it('keeps an own "__proto__" key (hostile JSON) as data, never as the prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": [1]}}') as Record<
      string,
      unknown
    >;
    const copy = copyJson(hostile);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const inner = copy.a as Record<string, unknown>;
    expect(Array.isArray(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value)).toBe(true);
    expect(copy).toStrictEqual(structuredClone(hostile));
  });

  it('copies what is not plain JSON as structuredClone does (a Date stays a Date) and refuses what it refuses', () => {
    const when = new Date(0);
    const copy = copyJson({ when, map: new Map([[1, 2]]) });
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(when);
    expect(copy.when.getTime()).toBe(0);
    expect(copy.map.get(1)).toBe(2);
    expect(() => copyJson({ f: () => 1 })).toThrow();
  });
});
