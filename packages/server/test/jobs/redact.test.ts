import { describe, expect, it } from 'vitest';
import { REDACTED, redactParams } from '../../src/jobs/index.js';

const R = REDACTED;

describe('redactParams', () => {
  it('copies the params of a schema that marks nothing secret, sharing no object with them', () => {
    const schema = { type: 'object', properties: { site: { type: 'object' }, list: { type: 'array' } } };
    const params = { site: { name: 'a' }, list: [{ n: 1 }], n: 2 };
    for (let i = 0; i < 2; i++) {
      const stored = redactParams(params, schema);
      expect(stored).toEqual(params);
      expect(stored.site).not.toBe(params.site);
      expect((stored.list as unknown[])[0]).not.toBe(params.list[0]);
    }
  });

  it('still redacts a secret only reachable through $defs and $ref, next to secret-free schemas', () => {
    const clean = { type: 'object', properties: { token: { $ref: '#/$defs/plain' } }, $defs: { plain: {} } };
    const marked = {
      type: 'object',
      properties: { token: { $ref: '#/$defs/hidden' } },
      $defs: { hidden: { type: 'string', secret: true } },
    };
    expect(redactParams({ token: 't' }, clean)).toEqual({ token: 't' });
    expect(redactParams({ token: 't' }, marked)).toEqual({ token: R });
    expect(redactParams({ token: 't' }, clean)).toEqual({ token: 't' });
    expect(redactParams({ token: 't' }, marked)).toEqual({ token: R });
  });

  it('redacts properties marked writeOnly or secret and keeps the others', () => {
    const schema = {
      type: 'object',
      properties: {
        user: { type: 'string' },
        password: { type: 'string', writeOnly: true },
        api_key: { type: 'string', secret: true },
        visible: { type: 'string', writeOnly: false },
      },
    };
    expect(redactParams({ user: 'ann', password: 'p', api_key: 'k', visible: 'v' }, schema)).toEqual({
      user: 'ann',
      password: R,
      api_key: R,
      visible: 'v',
    });
  });

  it('walks nested objects and arrays of objects', () => {
    const schema = {
      type: 'object',
      properties: {
        site: {
          type: 'object',
          properties: {
            url: { type: 'string' },
            auth: { type: 'object', properties: { token: { secret: true } } },
          },
        },
        accounts: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, key: { writeOnly: true } } },
        },
        tokens: { type: 'array', items: { type: 'string', secret: true } },
      },
    };
    const params = {
      site: { url: 'https://sg', auth: { token: 't', scheme: 'bearer' } },
      accounts: [{ name: 'a', key: 'k1' }, { name: 'b' }, 'odd'],
      tokens: ['x', 'y'],
    };
    expect(redactParams(params, schema)).toEqual({
      site: { url: 'https://sg', auth: { token: R, scheme: 'bearer' } },
      accounts: [{ name: 'a', key: R }, { name: 'b' }, 'odd'],
      tokens: [R, R],
    });
  });

  it('redacts a whole secret object or array rather than walking into it', () => {
    const schema = {
      type: 'object',
      properties: { creds: { type: 'object', secret: true }, keys: { type: 'array', writeOnly: true } },
    };
    expect(redactParams({ creds: { a: 1 }, keys: [1, 2] }, schema)).toEqual({ creds: R, keys: R });
  });

  it('follows tuple items, prefixItems, additionalProperties and patternProperties', () => {
    const schema = {
      type: 'object',
      properties: {
        pair: {
          type: 'array',
          items: [{ type: 'string' }, { type: 'string', secret: true }],
          additionalItems: { secret: true },
        },
        prefixed: { type: 'array', prefixItems: [{ secret: true }], items: { type: 'string' } },
        env: { type: 'object', additionalProperties: { type: 'string', secret: true } },
        headers: {
          type: 'object',
          properties: { accept: { type: 'string' } },
          patternProperties: { '^x-secret-': { writeOnly: true } },
        },
      },
    };
    expect(
      redactParams(
        {
          pair: ['user', 'pass', 'extra'],
          prefixed: ['s', 'a', 'b'],
          env: { A: '1', B: '2' },
          headers: { accept: 'json', 'x-secret-token': 't', 'x-other': 'o' },
        },
        schema,
      ),
    ).toEqual({
      pair: ['user', R, R],
      prefixed: [R, 'a', 'b'],
      env: { A: R, B: R },
      headers: { accept: 'json', 'x-secret-token': R, 'x-other': 'o' },
    });
  });

  it('follows local $ref and redacts when any allOf/anyOf/oneOf/then/else branch says secret', () => {
    const schema = {
      type: 'object',
      definitions: { secretString: { type: 'string', writeOnly: true } },
      $defs: { login: { type: 'object', properties: { pin: { $ref: '#/definitions/secretString' } } } },
      properties: {
        a: { $ref: '#/definitions/secretString' },
        b: { anyOf: [{ type: 'number' }, { type: 'string', secret: true }] },
        c: { allOf: [{ type: 'string' }, { writeOnly: true }] },
        login: { $ref: '#/$defs/login' },
        d: { if: { type: 'string' }, then: { secret: true }, else: { type: 'number' } },
        remote: { $ref: 'https://example.com/schema.json' },
      },
    };
    expect(
      redactParams({ a: 'x', b: 1, c: 'y', login: { pin: '1234', user: 'u' }, d: 'z', remote: 'r' }, schema),
    ).toEqual({ a: R, b: R, c: R, login: { pin: R, user: 'u' }, d: R, remote: 'r' });
  });

  it('survives a $ref cycle and recursive data', () => {
    const schema = {
      type: 'object',
      definitions: {
        node: {
          type: 'object',
          properties: { secret: { secret: true }, child: { $ref: '#/definitions/node' } },
        },
        loop: { $ref: '#/definitions/loop' },
      },
      properties: { tree: { $ref: '#/definitions/node' }, odd: { $ref: '#/definitions/loop' } },
    };
    expect(
      redactParams({ tree: { secret: 1, child: { secret: 2, child: { name: 'leaf' } } }, odd: 3 }, schema),
    ).toEqual({ tree: { secret: R, child: { secret: R, child: { name: 'leaf' } } }, odd: 3 });
  });

  it('never mutates its input and returns no shared objects', () => {
    const params = { password: 'p', nested: { list: [{ a: 1 }] } };
    const snapshot = structuredClone(params);
    const schema = { type: 'object', properties: { password: { writeOnly: true } } };
    const out = redactParams(params, schema);
    expect(params).toEqual(snapshot);
    (out.nested as { list: { a: number }[] }).list[0]!.a = 99;
    expect(params.nested.list[0]!.a).toBe(1);
    const copy = redactParams(params, undefined);
    expect(copy).toEqual(params);
    expect(copy.nested).not.toBe(params.nested);
  });

  it('redacts every value when the root schema itself is secret', () => {
    expect(redactParams({ a: 1, b: 'x' }, { type: 'object', secret: true })).toEqual({ a: R, b: R });
  });

  it('keeps values the schema does not describe, and ignores a bad pattern', () => {
    const schema = {
      type: 'object',
      patternProperties: { '(': { secret: true } },
      properties: { k: { secret: true } },
    };
    expect(redactParams({ free: 'f', k: 'v' }, schema)).toEqual({ free: 'f', k: R });
  });

  it('follows a $ref to an $id or an $anchor, and a pointer inside an $id (issue 11)', () => {
    const schema = {
      $id: 'https://plugins.example/publish.json',
      type: 'object',
      $defs: {
        token: { $id: 'token.json', type: 'string', writeOnly: true },
        anchored: { $anchor: 'key', type: 'string', secret: true },
        creds: {
          $id: 'https://plugins.example/creds.json',
          type: 'object',
          properties: { pass: { type: 'string', secret: true } },
        },
      },
      properties: {
        relative: { $ref: 'token.json' },
        full: { $ref: 'https://plugins.example/token.json' },
        anchor: { $ref: '#key' },
        inside: { $ref: 'creds.json#/properties/pass' },
        name: { type: 'string' },
      },
    };
    expect(redactParams({ relative: 'a', full: 'b', anchor: 'c', inside: 'd', name: 'n' }, schema)).toEqual({
      relative: R,
      full: R,
      anchor: R,
      inside: R,
      name: 'n',
    });
  });

  it('redacts what a dependencies or dependentSchemas branch marks secret (issue 11)', () => {
    const schema = {
      type: 'object',
      properties: { user: { type: 'string' } },
      dependencies: { user: { properties: { password: { type: 'string', writeOnly: true } } }, x: ['user'] },
      dependentSchemas: { user: { properties: { otp: { secret: true } } } },
    };
    expect(redactParams({ user: 'u', password: 'p', otp: '1' }, schema)).toEqual({
      user: 'u',
      password: R,
      otp: R,
    });
  });

  it('keeps a param named __proto__ as a param, nested too (issue 11: it vanished from history)', () => {
    const params = JSON.parse('{"__proto__":{"a":1},"n":{"__proto__":"x"}}') as Record<string, unknown>;
    const out = redactParams(params, { type: 'object' });
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"a":1},"n":{"__proto__":"x"}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('runs patternProperties on the linear-time engine: a catastrophic pattern answers at once', () => {
    const schema = { type: 'object', patternProperties: { '^(a+)+$': { secret: true } } };
    const key = `${'a'.repeat(64)}!`;
    expect(redactParams({ [key]: 'v', aaa: 's' }, schema)).toEqual({ [key]: 'v', aaa: R });
  });
});
