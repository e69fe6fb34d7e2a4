import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { nested, type Refusal } from './cases.js';
import { itStillServesWithNothingStarted, useHostileStack } from './battery.js';
import { assertRefused } from './expect-refusal.js';
import type { ApiAnswer, HostileStack } from './stack.js';

const stack = useHostileStack();

/** One hostile request, body sent exactly as written. */
interface RequestCase {
  name: string;
  route?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Raw body text (placeholders allowed); JSON.stringify of `json` when absent. */
  raw?: string;
  json?: unknown;
  auth?: boolean;
  expect: Refusal;
}

const EXEC = '/api/nodes/ws-hostile/exec';
const JSON_TYPE = { 'content-type': 'application/json' };
const MB = 1024 * 1024;
const body = (field: string, codes = ['INVALID_BODY']): Refusal => ({ codes, field });

const invalidJson: RequestCase[] = (
  [
    ['unclosed', '{'],
    ['trailing-comma', '{"action":"explorer.ping",}'],
    ['bare-word', 'nul'],
    ['trailing-garbage', '{"action":"explorer.ping"} ; rm -rf ~'],
    ['single-quotes', "{'action':'explorer.ping'}"],
    ['nan-literal', '{"action":"explorer.ping","timeout":NaN}'],
    ['raw-nul-in-string', '{"action":"explorer.ping\u0000"}'],
    ['raw-newline-in-string', '{"action":"explorer.open_folder","params":{"path":"/a\nb"}}'],
    ['comment', '{"action":"explorer.ping" /* x */}'],
  ] as const
).map(([label, raw]) => ({
  name: `body json:${label}`,
  raw,
  headers: JSON_TYPE,
  expect: body('body', ['INVALID_JSON']),
}));

const notAnObject: RequestCase[] = (
  [
    ['array', []],
    ['string', 'explorer.ping'],
    ['number', 42],
    ['null', null],
    ['boolean', true],
  ] as [string, unknown][]
).map(([label, json]) => ({
  name: `body shape:${label}`,
  json,
  headers: JSON_TYPE,
  expect: body('body'),
}));

const actionField: RequestCase[] = (
  [
    ['missing', { params: {} }],
    ['number', { action: 42 }],
    ['null', { action: null }],
    ['array', { action: ['explorer.ping'] }],
    ['object', { action: { plugin: 'explorer', action: 'ping' } }],
    ['empty', { action: '' }],
    ['long-300', { action: `explorer.${'a'.repeat(300)}` }],
  ] as [string, unknown][]
).map(([label, json]) => ({
  name: `body.action type:${label}`,
  json,
  headers: JSON_TYPE,
  expect: body('body.action'),
}));

const actionIds: RequestCase[] = [
  'explorer.open_folder; rm -rf ~',
  'explorer.open_folder && id',
  '$(id).ping',
  '`id`.ping',
  'explorer.ping\n',
  'explorer.ping\u0000',
  'explorer.ping ',
  '../../etc/passwd',
  'explorer/../rv.open_sources',
  'EXPLORER.PING',
  'explorer.__proto__',
  '__proto__.ping',
  'explorer',
  '.ping',
  'explorer.',
  'explorer.ping.x',
  '-e.ping',
  'explorer.-e',
  'explorer\uFF0Eping',
  'ｅxplorer.ping',
].map((action) => ({
  name: `body.action id:${JSON.stringify(action)}`,
  json: { action, params: {} },
  headers: JSON_TYPE,
  expect: { codes: ['INVALID_ACTION_ID'], field: 'action' },
}));

const unknownTargets: RequestCase[] = [
  ['explorer.constructor', 'ACTION_NOT_FOUND'],
  ['explorer.tostring', 'ACTION_NOT_FOUND'],
  ['explorer.delete_everything', 'ACTION_NOT_FOUND'],
  ['constructor.ping', 'PLUGIN_NOT_FOUND'],
  ['houdini.render', 'PLUGIN_NOT_FOUND'],
].map(([action, code]) => ({
  name: `body.action unknown:${action}`,
  json: { action, params: {} },
  headers: JSON_TYPE,
  expect: { codes: [code!], field: 'action' },
}));

const otherFields: RequestCase[] = [
  // null stands for "not given" in params and timeout (Python clients send None).
  ...(['x', [], 42, true] as const).map((params) => ({
    name: `body.params type:${JSON.stringify(params)}`,
    json: { action: 'explorer.ping', params },
    expect: body('body.params'),
  })),
  ...([-1, 0, '30', {}, []] as const).map((timeout) => ({
    name: `body.timeout value:${JSON.stringify(timeout)}`,
    json: { action: 'explorer.ping', params: {}, timeout },
    expect: body('body.timeout'),
  })),
  {
    name: 'body.evil shape:extra-property',
    json: { action: 'explorer.ping', params: {}, evil: '; rm -rf ~' },
    expect: body('body.evil'),
  },
  {
    name: 'body.__proto__ shape:proto-key',
    raw: '{"action":"explorer.ping","params":{},"__proto__":{"action":"rv.open_sources"}}',
    expect: body('body.__proto__'),
  },
  {
    name: 'body.a shape:nested-100-objects',
    json: { action: 'explorer.ping', params: {}, a: nested(100, 'object') },
    expect: body('body.a'),
  },
  {
    name: 'params.path shape:nested-200k-arrays',
    raw: `{"action":"explorer.open_folder","params":{"path":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`,
    expect: { codes: ['INVALID_PARAMS'], field: 'params.path' },
  },
  {
    name: 'params.path duplicate-key:last-one-outside',
    raw: '{"action":"explorer.open_folder","params":{"path":"{{show}}/sh010/comp","path":"{{outside}}/secret"}}',
    expect: { codes: ['PATH_NOT_ALLOWED'], field: 'params.path' },
  },
  {
    name: 'body.action duplicate-key:last-one-needs-params',
    raw: '{"action":"explorer.ping","action":"rv.open_sources","params":{}}',
    expect: { codes: ['INVALID_PARAMS'], field: 'params.sources' },
  },
].map((c) => ({ ...c, headers: JSON_TYPE }));

const mediaTypes: RequestCase[] = [
  {
    name: 'content-type text/plain',
    headers: { 'content-type': 'text/plain' },
    json: { action: 'explorer.ping' },
    expect: body('content-type', ['UNSUPPORTED_MEDIA_TYPE']),
  },
  {
    name: 'content-type form',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    raw: 'action=explorer.ping',
    expect: body('content-type', ['UNSUPPORTED_MEDIA_TYPE']),
  },
  {
    name: 'content-type missing',
    headers: {},
    raw: '{"action":"explorer.ping"}',
    expect: body('content-type', ['UNSUPPORTED_MEDIA_TYPE']),
  },
  {
    name: 'content-encoding gzip',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    raw: '{"action":"explorer.ping"}',
    expect: body('content-encoding', ['UNSUPPORTED_MEDIA_TYPE']),
  },
  { name: 'body empty', headers: JSON_TYPE, raw: '', expect: body('body') },
  {
    name: 'body over 1 MiB (content-length)',
    headers: JSON_TYPE,
    raw: JSON.stringify({ action: 'explorer.open_folder', params: { path: `/${'a'.repeat(MB)}` } }),
    expect: body('body', ['BODY_TOO_LARGE']),
  },
  {
    name: 'body of 5 MiB (content-length)',
    headers: JSON_TYPE,
    raw: JSON.stringify({ action: 'explorer.ping', params: { pad: ' '.repeat(5 * MB) } }),
    expect: body('body', ['BODY_TOO_LARGE']),
  },
  {
    name: 'body just under 1 MiB with a 1 MB path',
    headers: JSON_TYPE,
    raw: JSON.stringify({ action: 'explorer.open_folder', params: { path: `/${'a'.repeat(MB - 200)}` } }),
    expect: { codes: ['INVALID_PARAMS'], field: 'params.path' },
  },
];

const routes: RequestCase[] = [
  '..%2F..%2Fetc%2Fpasswd',
  '__proto__',
  'constructor',
  'ws-hostile%00',
  'ws-hostile%0Aevil',
  'ws-hostile%2F..%2Fws-hostile',
  '%E2%80%AEws-hostile',
  '%EF%BD%97s-hostile',
  'a'.repeat(5000),
  '%24(id)',
].map((node) => ({
  name: `route node:${JSON.stringify(decodeURIComponentSafe(node).slice(0, 40))}`,
  route: `/api/nodes/${node}/exec`,
  headers: JSON_TYPE,
  json: { action: 'explorer.open_folder', params: { path: '{{show}}/sh010/comp' } },
  expect: { codes: ['NODE_NOT_FOUND', 'ROUTE_NOT_FOUND'] },
}));

const auth: RequestCase[] = [
  { name: 'auth missing', auth: false, expect: { codes: ['AUTH_REQUIRED'] } },
  {
    name: 'auth wrong token',
    auth: false,
    headers: { authorization: 'Bearer $(id)' },
    expect: { codes: ['AUTH_INVALID'] },
  },
  {
    name: 'auth basic scheme',
    auth: false,
    headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    expect: { codes: ['AUTH_REQUIRED', 'AUTH_INVALID'] },
  },
  {
    name: 'auth 8k token',
    auth: false,
    headers: { authorization: `Bearer ${'a'.repeat(8000)}` },
    expect: { codes: ['AUTH_INVALID'] },
  },
  { name: 'method GET on exec', method: 'GET', expect: { codes: ['METHOD_NOT_ALLOWED'] } },
  { name: 'method PUT on exec', method: 'PUT', expect: { codes: ['METHOD_NOT_ALLOWED'] } },
].map((c) => ({
  ...c,
  headers: { ...JSON_TYPE, ...c.headers },
  json: { action: 'explorer.open_folder', params: { path: '{{show}}/sh010/comp' } },
}));

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function send(s: HostileStack, c: RequestCase): Promise<ApiAnswer> {
  const method = c.method ?? 'POST';
  const text = c.raw !== undefined ? s.fill(c.raw) : JSON.stringify(s.fill(c.json));
  return s.request(c.route ?? EXEC, {
    method,
    headers: c.headers ?? {},
    ...(method === 'GET' ? {} : { body: text }),
    auth: c.auth ?? true,
  });
}

/** A chunked body (no content-length) that never ends below the limit: the server must cut it at 1 MiB. */
function sendChunked(s: HostileStack, totalBytes: number): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${s.base}${EXEC}`, {
      method: 'POST',
      headers: { ...JSON_TYPE, authorization: `Bearer ${s.token}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, text }),
      );
    });
    // The server stops reading once past the limit and closes: later writes may fail, which is the point.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    req.write(`{"action":"explorer.open_folder","params":{"path":"/`);
    const chunk = 'a'.repeat(64 * 1024);
    let sent = 0;
    const pump = (): void => {
      while (sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end('"}}');
    };
    pump();
  });
}

describe('hostile request bodies, action ids, routes and headers on POST /api/nodes/:id/exec', () => {
  const cases = [
    ...invalidJson,
    ...notAnObject,
    ...actionField,
    ...actionIds,
    ...unknownTargets,
    ...otherFields,
    ...mediaTypes,
    ...routes,
    ...auth,
  ];

  it.each(cases.map((c) => [c.name, c] as const))('refuses %s', async (_name, kase) => {
    const s = stack();
    const since = s.mark();
    const answer = await send(s, kase);
    assertRefused(answer, await since(), kase.expect);
  });

  it.each([
    ['2 MiB', 2 * MB],
    ['8 MiB', 8 * MB],
  ])('refuses a chunked body of %s with 413 BODY_TOO_LARGE once past the limit', async (_label, size) => {
    const s = stack();
    const since = s.mark();
    const answer = await sendChunked(s, size);
    assertRefused(answer, await since(), { codes: ['BODY_TOO_LARGE'], field: 'body' });
  });

  it('answers every hostile request of a burst, in parallel, without a 5xx', async () => {
    const s = stack();
    const answers = await Promise.all(
      cases.filter((c) => !c.name.startsWith('body of 5')).map((c) => send(s, c)),
    );
    for (const answer of answers) expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
  });
});

itStillServesWithNothingStarted(stack);
