import { pathToFileURL } from 'node:url';
import type { ExplorerContext } from './config.js';

const SERVICE = 'org.freedesktop.FileManager1';
const OBJECT_PATH = '/org/freedesktop/FileManager1';
const METHOD = 'org.freedesktop.FileManager1.ShowItems';
const DBUS_TIMEOUT_MS = 15_000;

/** A `file://` URI with every unsafe byte percent-encoded, plus `'` for the GVariant literal. */
export function fileUri(target: string): string {
  return pathToFileURL(target).href.replace(/'/g, '%27');
}

/** `gdbus call … ShowItems "['file:///…']" ""`: the array is a GVariant text literal. */
export function gdbusShowItemsArgs(target: string): string[] {
  return [
    'call',
    '--session',
    '--dest',
    SERVICE,
    '--object-path',
    OBJECT_PATH,
    '--method',
    METHOD,
    `['${fileUri(target)}']`,
    '',
  ];
}

/** The dbus-send form; it splits array values on commas, so `,` is encoded too. */
export function dbusSendShowItemsArgs(target: string): string[] {
  return [
    '--session',
    '--print-reply',
    `--dest=${SERVICE}`,
    '--type=method_call',
    OBJECT_PATH,
    METHOD,
    `array:string:${fileUri(target).replace(/,/g, '%2C')}`,
    'string:',
  ];
}

/** How one ShowItems call went. */
export type ShowItemsOutcome =
  { ok: true; command: string[] } | { ok: false; command: string[]; reason: string };

/**
 * Ask the session's file manager to select the item. Any failure (no FileManager1 service, bus not
 * answering, our own time limit) is returned for the caller to fall back; a cancelled job rethrows.
 */
export async function callShowItems(
  ctx: ExplorerContext,
  tool: 'gdbus' | 'dbus-send',
  file: string,
  target: string,
): Promise<ShowItemsOutcome> {
  const args = tool === 'gdbus' ? gdbusShowItemsArgs(target) : dbusSendShowItemsArgs(target);
  const command = [file, ...args];
  try {
    const result = await ctx.run(file, args, { timeoutMs: DBUS_TIMEOUT_MS, maxOutputBytes: 64 * 1024 });
    if (result.exitCode === 0) return { ok: true, command: result.command };
    const stderr = result.stderr.trim();
    const unknown = /ServiceUnknown|was not provided by any \.service files/.test(stderr);
    const reason = unknown
      ? `no file manager on the session bus implements ${SERVICE}`
      : `${tool} exited with ${result.exitCode ?? result.signal ?? 'an error'}`;
    return { ok: false, command, reason: stderr ? `${reason}: ${firstLine(stderr)}` : reason };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { ok: false, command, reason: `${tool} failed: ${(error as Error).message}` };
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
