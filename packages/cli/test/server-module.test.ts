import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/clipanion.js';
import { importServer, isMissingPackage, SERVER_MISSING } from '../src/server-module.js';

// A CLI without @openclaw-node/server beside it says what to install. The failure is Node's own:
// a real import of a package that is not installed.
async function nodeMissingPackageError(name: string): Promise<unknown> {
  return import(name).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('importServer', () => {
  it('loads the server package', async () => {
    const server = await importServer();
    expect(typeof server.createServer).toBe('function');
  });

  it('says what to install when the server package is missing', async () => {
    const missing = await nodeMissingPackageError('@openclaw-node/server-not-installed');
    expect(isMissingPackage(missing, '@openclaw-node/server-not-installed')).toBe(true);
    const renamed = Object.assign(
      new Error(String((missing as Error).message).replace('-not-installed', '')),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
    const error = await importServer(() => Promise.reject(renamed)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(SERVER_MISSING);
    expect(SERVER_MISSING).toContain('install @openclaw-node/cli');
  });

  it('passes any other failure through (a broken server is not a missing one)', async () => {
    const broken = Object.assign(new Error("Cannot find package 'koa' imported from …"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(importServer(() => Promise.reject(broken))).rejects.toBe(broken);
  });
});
