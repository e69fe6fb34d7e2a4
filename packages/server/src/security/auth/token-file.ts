import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/core';
import { parse as parseYaml } from 'yaml';
import { sha256Hex } from './token-auth-provider.js';
import { parseTokenEntry, type FieldFailure, type TokenEntry } from './token-entry.js';

const SHAPE_HINT =
  'must be a list of entries like {name, sha256, roles: [agent|operator|viewer|admin], nodes: [globs], actions: [globs]}';

/**
 * Parse the text of a tokens file: `tokens:` is a list of scoped entries (`{name, token | sha256,
 * roles, nodes?, actions?}`) or legacy ones (a bare string, `{token, name}`: full access). Every
 * entry is checked, names and tokens must be unique. Throws CONFIG_INVALID naming file and field.
 */
export function parseTokensFile(text: string, file: string): TokenEntry[] {
  const fail: FieldFailure = (field, message) => {
    throw new OpenClawError('CONFIG_INVALID', `${file}: ${field} ${message}`, { details: { file, field } });
  };
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n')[0] : 'unparseable';
    throw new OpenClawError('CONFIG_INVALID', `${file}: not valid YAML: ${message}`, {
      details: { file, field: 'tokens' },
      cause,
    });
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { tokens?: unknown }).tokens)) {
    return fail('tokens', SHAPE_HINT);
  }
  const entries = (doc as { tokens: unknown[] }).tokens.map((item, i) =>
    parseTokenEntry(item, `tokens[${i}]`, `file-${i + 1}`, fail),
  );
  const names = new Map<string, number>();
  const digests = new Map<string, number>();
  entries.forEach((entry, i) => {
    const sameName = names.get(entry.name);
    if (sameName !== undefined)
      fail(`tokens[${i}].name`, `"${entry.name}" is already used by tokens[${sameName}]`);
    names.set(entry.name, i);
    const digest = entry.sha256 ?? sha256Hex(entry.token!);
    const sameToken = digests.get(digest);
    if (sameToken !== undefined) fail(`tokens[${i}]`, `holds the same token as tokens[${sameToken}]`);
    digests.set(digest, i);
  });
  return entries;
}

function unreadable(file: string, cause: unknown): OpenClawError {
  const reason = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
  return new OpenClawError('CONFIG_INVALID', `Cannot read OPENCLAW_TOKENS_FILE ${file} (${reason})`, {
    details: { file, field: 'OPENCLAW_TOKENS_FILE' },
    cause,
  });
}

/** The text of a tokens file; throws CONFIG_INVALID naming the file when it cannot be read. */
export async function readTokensFileText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw unreadable(file, cause);
  }
}

/** Read and parse a tokens file; throws CONFIG_INVALID naming the file and the field at fault. */
export async function loadTokensFile(file: string): Promise<TokenEntry[]> {
  return parseTokensFile(await readTokensFileText(file), file);
}

/** loadTokensFile for start-up, where the server is built synchronously. */
export function loadTokensFileSync(file: string): { entries: TokenEntry[]; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw unreadable(file, cause);
  }
  return { entries: parseTokensFile(text, file), text };
}
