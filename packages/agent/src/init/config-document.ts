import { readFile } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/core';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { InitValues } from './init-values.js';

/** An existing node_config.yaml: its text, its YAML document (comments and all) and its plain values. */
export interface ExistingConfig {
  file: string;
  text: string;
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
  plugins:
    ' Plugins to load: built-in (explorer, rv, nuke, resolve, shotgrid), npm packages or absolute paths.',
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
  if (value === null || value === undefined) return { file, text, document: new Document({}), raw: {} };
  return { file, text, document, raw: value as Record<string, unknown> };
}

/**
 * The YAML text to write. For an existing file only the values that changed are replaced in its text,
 * so comments, quoting and layout stay exactly as they were; a new file gets a commented template.
 */
export function renderConfig(values: InitValues, existing: ExistingConfig | null, header: string): string {
  if (existing && isMap(existing.document.contents)) {
    const spliced = spliceChanges(values, existing);
    if (spliced !== undefined) return spliced;
    return rewriteDocument(values, existing);
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
  return document.toString({ flowCollectionPadding: false });
}

const changedKeys = (values: InitValues, raw: Record<string, unknown>) =>
  (Object.keys(KEY_COMMENTS) as (keyof InitValues)[]).filter(
    (key) => JSON.stringify(raw[key]) !== JSON.stringify(values[key]),
  );

/** Edit the changed values in the source text; undefined when the result would not read back right. */
function spliceChanges(values: InitValues, existing: ExistingConfig): string | undefined {
  const { text } = existing;
  const map = existing.document.contents as YAMLMap;
  const edits: { start: number; end: number; text: string }[] = [];
  const appended: string[] = [];
  for (const key of changedKeys(values, existing.raw)) {
    const value = values[key];
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    const node = pair?.value as (Node & { range?: [number, number, number] }) | null | undefined;
    if (!pair || !node?.range) {
      if (pair) return undefined;
      appended.push(`${key}: ${Array.isArray(value) ? flowList(value) : scalarText(value)}`);
      continue;
    }
    const [start, valueEnd] = node.range;
    if (isSeq(node) && !node.flow && Array.isArray(value) && value.length > 0) {
      edits.push({
        start,
        end: text[valueEnd - 1] === '\n' ? valueEnd - 1 : valueEnd,
        text: blockList(text, node, value, start),
      });
    } else {
      const rendered = Array.isArray(value) ? flowList(value) : scalarText(value);
      edits.push({ start, end: valueEnd, text: start === valueEnd ? ` ${rendered}` : rendered });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  if (appended.length > 0)
    out = `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${appended.join('\n')}\n`;
  // Whatever the layout was, the file must read back as exactly the intended values.
  const check = parseDocument(out);
  const expected = { ...existing.raw, ...values };
  if (
    check.errors.length > 0 ||
    JSON.stringify(check.toJS()) !== JSON.stringify(reorder(check.toJS(), expected))
  ) {
    return undefined;
  }
  return out;
}

/** `expected` with its keys in the order `actual` has them (appended keys come last in both). */
function reorder(actual: unknown, expected: Record<string, unknown>): Record<string, unknown> {
  const keys = typeof actual === 'object' && actual !== null ? Object.keys(actual) : [];
  return Object.fromEntries(
    [...keys, ...Object.keys(expected).filter((k) => !keys.includes(k))].map((k) => [k, expected[k]]),
  );
}

/** A block list at the column of the old one; items that stay keep their line (and its comment). */
function blockList(text: string, seq: YAMLSeq, values: readonly string[], start: number): string {
  const column = start - (text.lastIndexOf('\n', start - 1) + 1);
  const kept = new Map<string, string>();
  for (const item of seq.items) {
    const range = (item as Node & { range?: [number, number, number] }).range;
    if (!isScalar(item) || !range) continue;
    const lineEnd = text.indexOf('\n', range[0]);
    kept.set(String(item.value), text.slice(range[0], lineEnd === -1 ? undefined : lineEnd).trimEnd());
  }
  return values.map((value) => `- ${kept.get(value) ?? scalarText(value)}`).join(`\n${' '.repeat(column)}`);
}

function flowList(values: readonly string[]): string {
  const document = new Document([...values]);
  if (isSeq(document.contents)) document.contents.flow = true;
  return document.toString({ flowCollectionPadding: false }).trimEnd();
}

function scalarText(value: string): string {
  return new Document(value).toString().trimEnd();
}

/** The fallback: the parsed document with changed keys replaced, rendered anew (comments kept). */
function rewriteDocument(values: InitValues, existing: ExistingConfig): string {
  const document = existing.document;
  for (const key of changedKeys(values, existing.raw)) {
    const value = values[key];
    if (Array.isArray(value)) setList(document, key, value);
    else document.set(key, value);
  }
  return document.toString({ flowCollectionPadding: false });
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
