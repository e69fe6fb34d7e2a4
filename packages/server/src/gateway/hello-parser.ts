import { randomBytes } from 'node:crypto';
import { Decoder, Encoder } from 'socket.io-parser';

/** The JSON of a `hello` event starts so (socket.io-parser hands over the payload after the packet header). */
const HELLO = '["hello",';
const PLUGINS = '"plugins":[';
/** Characters after the list's `[` that index the remembered lists. */
const PROBE = 256;
/** Lists shorter than this are parsed as they come: remembering them saves less than it costs. */
const MIN_CHARS = 1024;
const MAX_LISTS = 64;
const MAX_VARIANTS = 4;
/** Text remembered in all (UTF-16 units): bounds what agents sending ever new lists can pin in memory. */
const MAX_TOTAL_CHARS = 8 * 1024 * 1024;

interface PluginList {
  /** The exact text of the list, `[` to `]`. */
  text: string;
  /** JSON.parse(text), deep-frozen: every hello that sends the same text gets these same objects. */
  plugins: readonly unknown[];
}

/**
 * The `plugins` lists of agents' hellos, parsed once per distinct text. Every agent of a studio sends the
 * same manifests (34 KB for the five built-in plugins), so a hello is parsed as the text around its list
 * plus a list remembered by its exact characters; gateway/manifest-memo.ts then finds the same objects it
 * validated before instead of walking a fresh copy. The result is what JSON.parse gives for the whole
 * text (see parse()); it only shares, frozen, the manifests of equal lists. Everything the hello says is
 * still checked per hello by the gateway.
 */
export class PluginListMemo {
  readonly #lists = new Map<string, PluginList[]>();
  /** Stands in for the list while the text around it is parsed; agents never see it. */
  readonly #placeholder = `"${randomBytes(16).toString('hex')}"`;
  readonly #placeholderValue = JSON.parse(this.#placeholder) as string;
  #chars = 0;

  /**
   * The hello's JSON as JSON.parse(text) gives it, or undefined when the text is not a hello whose list
   * this can take apart (the caller parses it whole). Why it is the same value: the placeholder (a random
   * string no agent knows) comes back as the top-level `plugins` of the hello only if the text before the
   * list ends where that value starts, and no later key overrides it; the list is a complete JSON array
   * (parsed alone), so it ends where the value ends; the text after it is unchanged.
   */
  parse(text: string): unknown {
    if (!text.startsWith(HELLO)) return undefined;
    const key = text.indexOf(PLUGINS, HELLO.length);
    if (key < 0) return undefined;
    const start = key + PLUGINS.length - 1;
    const probe = text.substr(start, PROBE);
    // slice + === compares flat memory; startsWith(known, start) walks the 34 KB char by char.
    let list = this.#lists
      .get(probe)
      ?.find((known) => text.slice(start, start + known.text.length) === known.text);
    const fresh = list === undefined;
    if (!list) {
      list = readList(text, start);
      if (!list) return undefined;
    }
    let outer: unknown;
    try {
      outer = JSON.parse(
        text.slice(0, start) + this.#placeholder + text.slice(start + list.text.length),
      ) as unknown;
    } catch {
      return undefined;
    }
    if (!Array.isArray(outer) || typeof outer[1] !== 'object' || outer[1] === null) return undefined;
    const hello = outer[1] as Record<string, unknown>;
    if (!Object.hasOwn(hello, 'plugins') || hello.plugins !== this.#placeholderValue) return undefined;
    hello.plugins = [...list.plugins];
    if (fresh) this.#remember(probe, list);
    return outer;
  }

  #remember(probe: string, list: PluginList): void {
    if (list.text.length < MIN_CHARS || list.text.length > MAX_TOTAL_CHARS / 4) return;
    const variants = this.#lists.get(probe) ?? [];
    variants.unshift(list);
    this.#chars += list.text.length;
    for (const dropped of variants.splice(MAX_VARIANTS)) this.#chars -= dropped.text.length;
    this.#lists.delete(probe);
    this.#lists.set(probe, variants);
    for (const [oldest, lists] of this.#lists) {
      if (this.#lists.size <= MAX_LISTS && this.#chars <= MAX_TOTAL_CHARS) break;
      this.#lists.delete(oldest);
      for (const dropped of lists) this.#chars -= dropped.text.length;
    }
  }
}

/** The JSON array that starts at `start`, parsed and frozen; undefined if it is not one. */
function readList(text: string, start: number): PluginList | undefined {
  const end = arrayEnd(text, start);
  if (end < 0) return undefined;
  const listText = text.slice(start, end);
  let plugins: unknown;
  try {
    plugins = JSON.parse(listText) as unknown;
  } catch {
    return undefined;
  }
  if (!Array.isArray(plugins)) return undefined;
  return { text: listText, plugins: deepFreeze(plugins) };
}

/**
 * Where the bracket opened at `start` closes (the index after it), skipping strings; -1 if it does not.
 * Only a guess for text that is not JSON: readList parses the slice to be sure.
 */
function arrayEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if ((c === 0x5d || c === 0x7d) && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Shared between hellos: a change by one session would show in another's, so none is allowed. With a
 * stack, not recursion: a hostile list may nest as deep as its bytes allow.
 */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const child of Object.values(item)) stack.push(child);
  }
  return value;
}

type TryParse = (this: Decoder, text: string) => unknown;

/**
 * The Socket.IO parser of the agent server: socket.io-parser's packets, with hellos' plugin lists parsed
 * once per distinct text (PluginListMemo). One memo per server. Only the JSON step of a packet differs
 * (socket.io-parser's private tryParse, which answers false for text that is not JSON); packet types,
 * namespaces, ack ids, payload checks and binary attachments are socket.io-parser's own.
 */
export function agentSocketParser(memo = new PluginListMemo()): {
  Encoder: typeof Encoder;
  Decoder: typeof Decoder;
} {
  const base = (Decoder.prototype as unknown as { tryParse: TryParse }).tryParse;
  class AgentDecoder extends Decoder {}
  const tryParse: TryParse = function (text) {
    const reviver = (this as unknown as { opts?: { reviver?: unknown } }).opts?.reviver;
    return (reviver === undefined ? memo.parse(text) : undefined) ?? base.call(this, text);
  };
  Object.defineProperty(AgentDecoder.prototype, 'tryParse', { value: tryParse });
  return { Encoder, Decoder: AgentDecoder };
}
