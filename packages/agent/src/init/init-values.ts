import os from 'node:os';
import { isAbsolutePathValue, OpenClawError } from '@openclaw-node/core';
import { NODE_ID_PATTERN } from '../config/agent-config.js';
import { parseServerUrl } from '../connection/server-url.js';

/** The settings `openclaw agent init` asks for and writes; the rest of an existing file is kept. */
export interface InitValues {
  node_id: string;
  server_url: string;
  /** Written as given: a literal token or a `${VAR}` reference. */
  auth_token: string;
  plugins: string[];
  allowed_paths: string[];
}

const NODE_ID = new RegExp(NODE_ID_PATTERN);

/** The node id the agent would use without one: the host name, lower-cased, other characters as "-". */
export function defaultNodeId(hostname: string = os.hostname()): string | undefined {
  const candidate = hostname
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 128);
  return NODE_ID.test(candidate) ? candidate : undefined;
}

/** Why a node id is refused, or undefined when it is fine. */
export function nodeIdProblem(value: string): string | undefined {
  if (NODE_ID.test(value)) return undefined;
  return 'a node id is 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. ws-042';
}

/**
 * What a person types as the server address, made into a server_url: `pipeline:8765` becomes
 * `ws://pipeline:8765/ws`; a URL with a scheme is kept as typed. Throws CONFIG_INVALID naming server_url.
 * @example normalizeServerAddress('pipeline:8765') // 'ws://pipeline:8765/ws'
 */
export function normalizeServerAddress(input: string): string {
  const trimmed = input.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `ws://${trimmed.replace(/\/+$/, '')}/ws`;
  try {
    parseServerUrl(url, 'server_url');
  } catch (error) {
    const message = (error as Error).message.replace(/^server_url: server_url /, '');
    throw new OpenClawError('CONFIG_INVALID', `server_url ${JSON.stringify(trimmed)} ${message}`, {
      details: { field: 'server_url', flag: '--server' },
    });
  }
  return url;
}

/** Why a server address is refused, or undefined. */
export function serverAddressProblem(input: string): string | undefined {
  if (input.trim() === '') return 'the server address is required, e.g. ws://pipeline-server:8765/ws';
  try {
    normalizeServerAddress(input);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `a, b ,c` → `['a', 'b', 'c']`, empty items dropped, duplicates once. */
export function splitList(input: string): string[] {
  return [
    ...new Set(
      input
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    ),
  ];
}

/** Throws CONFIG_INVALID for the first allowed path that is not absolute. */
export function checkAllowedPathList(paths: readonly string[]): void {
  paths.forEach((entry, index) => {
    if (!isAbsolutePathValue(entry)) {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `allowed_paths[${index}] must be an absolute path, got ${JSON.stringify(entry)}, e.g. /mnt/projects or P:\\projects`,
        { details: { field: `allowed_paths[${index}]`, flag: '--allowed-path' } },
      );
    }
  });
}
