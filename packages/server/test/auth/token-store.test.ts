import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStore, type TokenReload } from '../../src/security/auth/token-store.js';
import { memoryLogger, waitFor } from '@openclaw-node/test-support/server';

const CI = 'ci-token-0123456789abcdefghijklmnop';
const WALL = 'wall-token-0123456789abcdefghijklmn';
const ENV = 'env-token-0123456789abcdefghijklmno';

let dir: string;
let file: string;
let store: TokenStore | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-token-store-'));
  file = path.join(dir, 'tokens.yaml');
});

afterEach(async () => {
  store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

const entry = (name: string, token: string, role: string): string =>
  `  - name: ${name}\n    token: ${token}\n    roles: [${role}]\n`;

function open(logs = memoryLogger()): TokenStore {
  store = new TokenStore({
    tokens: [{ name: 'env', token: ENV }],
    file,
    logger: logs.logger,
    watch: { debounceMs: 20, pollMs: 50 },
  });
  return store;
}

describe('TokenStore', () => {
  it('puts fixed tokens first and reads the file at start', async () => {
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    const s = open();
    expect(s.entries.map((e) => e.name)).toEqual(['env', 'ci']);
    expect(await s.authenticate(CI)).toMatchObject({ name: 'ci', roles: ['operator'] });
    expect(await s.authenticate(ENV)).toMatchObject({ name: 'env', roles: ['agent', 'admin'] });
  });

  it('throws CONFIG_INVALID at start for a bad file', async () => {
    await writeFile(file, 'tokens: 12\n');
    expect(() => open()).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('reloads a rewritten file by itself, telling what was added and removed', async () => {
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    const logs = memoryLogger();
    const s = open(logs);
    const reloads: TokenReload[] = [];
    s.onReload((r) => reloads.push(r));
    s.watch();
    await writeFile(file, `tokens:\n${entry('wall', WALL, 'viewer')}`);
    const reload = await waitFor(() => reloads.find((r) => r.ok && r.changed), 'the reload');
    expect(reload).toEqual({ ok: true, changed: true, count: 2, added: ['wall'], removed: ['ci'] });
    expect(await s.authenticate(CI)).toBeNull();
    expect(await s.authenticate(WALL)).toMatchObject({ name: 'wall', roles: ['viewer'] });
    expect(logs.logs.find((l) => l.msg === 'tokens file reloaded')).toMatchObject({
      added: ['wall'],
      removed: ['ci'],
    });
  });

  it('sees a file replaced by rename (how editors and secret mounts write)', async () => {
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    const s = open();
    s.watch();
    const staged = path.join(dir, '.tokens.yaml.tmp');
    await writeFile(staged, `tokens:\n${entry('wall', WALL, 'viewer')}`);
    await rename(staged, file);
    await waitFor(async () => ((await s.authenticate(WALL)) ? true : undefined), 'the renamed file');
    expect(await s.authenticate(CI)).toBeNull();
  });

  it('keeps the previous tokens when the new file is invalid, and logs why without any token', async () => {
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    const logs = memoryLogger();
    const s = open(logs);
    await writeFile(file, `tokens:\n${entry('wall', WALL, 'superuser')}`);
    const reload = await s.reload();
    expect(reload).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(!reload.ok && reload.error.message).toMatch(/tokens\[0\]\.roles\[0\] must be one of/);
    expect(await s.authenticate(CI)).toMatchObject({ name: 'ci' });
    expect(await s.authenticate(WALL)).toBeNull();
    const line = logs.logs.find((l) => l.msg === 'tokens file rejected; the previous tokens stay in force');
    expect(line).toMatchObject({ level: 50, code: 'CONFIG_INVALID', file });
    expect(JSON.stringify(logs.logs)).not.toContain(WALL);
    expect(JSON.stringify(logs.logs)).not.toContain(CI);
  });

  it('keeps the previous tokens when the file disappears', async () => {
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    const s = open();
    await rm(file);
    expect(await s.reload()).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(await s.authenticate(CI)).toMatchObject({ name: 'ci' });
  });

  it('does nothing when the content did not change', async () => {
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    const s = open();
    await writeFile(file, `tokens:\n${entry('ci', CI, 'operator')}`);
    expect(await s.reload()).toEqual({ ok: true, changed: false, count: 2, added: [], removed: [] });
  });
});
