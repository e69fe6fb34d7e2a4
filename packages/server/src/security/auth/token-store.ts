import { createHash } from 'node:crypto';
import { toErrorPayload, type ErrorPayload } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { AuthProvider } from './auth-provider.js';
import { watchFileChanges, type FileWatch, type FileWatchOptions } from './file-watch.js';
import { createTokenAuthProvider, mergeTokenEntries } from './token-auth-provider.js';
import type { TokenEntry } from './token-entry.js';
import { loadTokensFileSync, parseTokensFile, readTokensFileText } from './token-file.js';

/** What a reload did. */
export type TokenReload =
  | { ok: true; changed: boolean; count: number; added: string[]; removed: string[] }
  | { ok: false; error: ErrorPayload };

export interface TokenStoreOptions {
  /** Fixed tokens (from the environment or the embedding code); they come first. */
  tokens: readonly TokenEntry[];
  /** A tokens file, read now and reloaded on change once watch() is called. */
  file?: string;
  logger: Logger;
  watch?: FileWatchOptions;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The live token list: fixed tokens plus a tokens file that is reloaded when it changes. A new file
 * is validated whole before it replaces the old one; a bad one is logged and the old tokens stay.
 * Listeners hear of every successful change (to drop agents whose token was revoked).
 */
export class TokenStore implements AuthProvider {
  readonly #fixed: readonly TokenEntry[];
  readonly #file: string | undefined;
  readonly #logger: Logger;
  readonly #watchOptions: FileWatchOptions;
  readonly #listeners = new Set<(reload: TokenReload) => void>();
  #entries: TokenEntry[];
  #provider: AuthProvider;
  #fileDigest: string | undefined;
  #watch: FileWatch | undefined;
  #reloading: Promise<TokenReload> | undefined;

  /** Reads the file synchronously: a bad file at start-up throws CONFIG_INVALID. */
  constructor(options: TokenStoreOptions) {
    this.#fixed = [...options.tokens];
    this.#file = options.file;
    this.#logger = options.logger;
    this.#watchOptions = options.watch ?? {};
    let fromFile: TokenEntry[] = [];
    if (this.#file) {
      const loaded = loadTokensFileSync(this.#file);
      fromFile = loaded.entries;
      this.#fileDigest = digest(loaded.text);
    }
    this.#entries = mergeTokenEntries([...this.#fixed], fromFile);
    this.#provider = createTokenAuthProvider(this.#entries);
  }

  authenticate(credential: string): ReturnType<AuthProvider['authenticate']> {
    return this.#provider.authenticate(credential);
  }

  /** Every accepted entry, fixed ones first. */
  get entries(): readonly TokenEntry[] {
    return this.#entries;
  }

  get file(): string | undefined {
    return this.#file;
  }

  /** Start watching the tokens file (no-op without one). */
  watch(): void {
    if (!this.#file || this.#watch) return;
    this.#watch = watchFileChanges(this.#file, () => void this.reload(), this.#watchOptions);
  }

  /** Listen to successful reloads and rejected files; returns an unsubscribe function. */
  onReload(listener: (reload: TokenReload) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-read the file now; reloads already running are joined, not doubled. */
  reload(): Promise<TokenReload> {
    this.#reloading ??= this.#reload().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  close(): void {
    this.#watch?.close();
    this.#watch = undefined;
    this.#listeners.clear();
  }

  async #reload(): Promise<TokenReload> {
    const file = this.#file;
    if (!file) return { ok: true, changed: false, count: this.#entries.length, added: [], removed: [] };
    let result: TokenReload;
    try {
      const text = await readTokensFileText(file);
      const textDigest = digest(text);
      if (textDigest === this.#fileDigest) {
        return { ok: true, changed: false, count: this.#entries.length, added: [], removed: [] };
      }
      const next = mergeTokenEntries([...this.#fixed], parseTokensFile(text, file));
      const before = new Set(this.#entries.map((e) => e.name));
      const after = new Set(next.map((e) => e.name));
      this.#entries = next;
      this.#provider = createTokenAuthProvider(next);
      this.#fileDigest = textDigest;
      result = {
        ok: true,
        changed: true,
        count: next.length,
        added: [...after].filter((n) => !before.has(n)),
        removed: [...before].filter((n) => !after.has(n)),
      };
      this.#logger.info(
        { file, tokens: result.count, added: result.added, removed: result.removed },
        'tokens file reloaded',
      );
    } catch (error) {
      const payload = toErrorPayload(error);
      result = { ok: false, error: payload };
      this.#logger.error(
        { file, code: payload.code, reason: payload.message },
        'tokens file rejected; the previous tokens stay in force',
      );
    }
    for (const listener of this.#listeners) listener(result);
    return result;
  }
}
