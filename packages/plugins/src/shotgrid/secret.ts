/** A credential that never shows itself: not in JSON, not in string conversion, not in util.inspect. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The actual value, for the one place that must send it. */
  reveal(): string {
    return this.#value;
  }

  /**
   * Replace every copy of the secret in text that came from elsewhere (a server's error message): as
   * is, URL-encoded (any hex case, `+` for spaces as in a form body) and JSON-escaped.
   */
  redact(text: string): string {
    return redactAll(text, [this.#value]);
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

const MIN_SECRET = 4;

/** The forms a secret takes when echoed back: raw, URL-encoded (path or form) and JSON-escaped. */
function copiesOf(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return [...forms].filter((form) => form.length >= MIN_SECRET);
}

/** Replace every copy of each secret (see copiesOf) in `text` by `[redacted]`. */
export function redactAll(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET) continue;
    for (const form of copiesOf(secret)) {
      // Percent-escapes may come back in either hex case; the rest is compared exactly.
      const source = form
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/%([0-9A-F]{2})/g, (_m, hex: string) => `%(?:${hex}|${hex.toLowerCase()})`);
      out = out.replace(new RegExp(source, 'g'), '[redacted]');
    }
  }
  return out;
}

/** A deep copy of JSON data with every string passed through redactAll (an error's `source`). */
export function redactJson(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactAll(value, secrets);
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      redactAll(key, secrets),
      redactJson(item, secrets, depth + 1),
    ]),
  );
}
