import { readFile } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/core';
import { Document, isMap, isScalar, isSeq, parseDocument, type Pair, type Scalar, type YAMLSeq } from 'yaml';
import type { InitValues } from './init-values.js';

/** An existing node_config.yaml: its YAML document (comments and all) and its plain values. */
export interface ExistingConfig {
  file: string;
  document: Document;
  /** The mapping as written (no `${VAR}` expanded). */
  raw: Record<string, unknown>;
}

// The comment written above each key of a new file.
const KEY_COMMENTS: Record<keyof InitValues, string> = {
  node_id: ' How the server and scripts name this workstation (/api/nodes/<node_id>).',
  server_url: ' The OpenClaw server: ws:// or wss://host:port/path, the path being the Socket.IO path.',
  auth_token:
    ' The token the server gave this node. This file is readable by you only (mode 600);\n ${OPENCLAW_NODE_TOKEN} would read it from the environment instead.',
  plugins: ' Plugins to load: explorer, rv, nuke, resolve, shotgrid.',
  allowed_paths:
    ' Absolute folders that path params must lie inside; empty allows no path at all.\n Entries for another OS are ignored, so one file can serve Windows, macOS and Linux.',
};

/**
 * Read an existing config for its values and comments; null when there is no file. Throws CONFIG_INVALID
 * when it cannot be read or parsed, naming the file.
 */
export async function readExistingConfig(file: string): Promise<ExistingConfig | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new OpenClawError(
      'CONFIG_INVALID',
      `${file} cannot be read (${code ?? (error as Error).message})`,
      {
        details: { field: null, file },
      },
    );
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `${file} is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`,
      { details: { field: null, file } },
    );
  }
  const value: unknown = document.toJS();
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new OpenClawError('CONFIG_INVALID', `${file} must be a mapping of settings`, {
      details: { field: null, file },
    });
  }
  if (value === null || value === undefined) return { file, document: new Document({}), raw: {} };
  return { file, document, raw: value as Record<string, unknown> };
}

/**
 * The YAML text to write: the existing document with only the changed keys replaced (comments, key
 * order and other settings kept), or a new commented document.
 */
export function renderConfig(values: InitValues, existing: ExistingConfig | null, header: string): string {
  if (existing && isMap(existing.document.contents)) {
    const document = existing.document;
    for (const key of Object.keys(KEY_COMMENTS) as (keyof InitValues)[]) {
      const value = values[key];
      if (JSON.stringify(existing.raw[key]) === JSON.stringify(value)) continue;
      if (Array.isArray(value)) setList(document, key, value);
      else document.set(key, value);
    }
    return document.toString();
  }
  const document = new Document(values);
  document.commentBefore = header;
  const map = document.contents;
  if (isMap(map)) {
    for (const item of map.items as Pair<Scalar, unknown>[]) {
      const key = item.key.value as keyof InitValues;
      item.key.commentBefore = KEY_COMMENTS[key];
      if (key === 'plugins' && isSeq(item.value)) item.value.flow = true;
    }
    // A blank line between settings, so each comment sits with its key.
    for (const item of map.items.slice(1) as Pair<Scalar, unknown>[]) item.key.spaceBefore = true;
  }
  return document.toString();
}

/** Replace a list, keeping the nodes (and their comments) of items that stay. */
function setList(document: Document, key: string, values: readonly string[]): void {
  const current = document.get(key, true);
  const seq = document.createNode([...values]) as YAMLSeq;
  if (isSeq(current)) {
    seq.flow = current.flow ?? false;
    const kept = new Map<string, unknown>();
    for (const item of current.items) if (isScalar(item)) kept.set(String(item.value), item);
    seq.items = values.map((value) => kept.get(value) ?? document.createNode(value));
  } else if (key === 'plugins') {
    seq.flow = true;
  }
  document.set(key, seq);
}
