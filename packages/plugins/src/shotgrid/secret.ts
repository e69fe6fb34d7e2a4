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

  /** Replace every occurrence of the secret in text that came from elsewhere (a server's error message). */
  redact(text: string): string {
    return this.#value.length >= 4 ? text.split(this.#value).join('[redacted]') : text;
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
