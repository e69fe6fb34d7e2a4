/** Keeps the last `maxBytes` of a stream as text and hands out complete lines as they arrive. */
export class OutputTail {
  private chunks: string[] = [];
  private size = 0;
  private partial = '';
  truncated = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  push(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxBytes && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
    if (this.size > this.maxBytes) {
      const only = this.chunks[0]!;
      this.chunks[0] = only.slice(only.length - this.maxBytes);
      this.size = this.chunks[0].length;
      this.truncated = true;
    }
    if (!this.onLine) return;
    const lines = (this.partial + text).split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  /** Flush a last line without a newline. */
  end(): void {
    if (this.onLine && this.partial.length > 0) this.onLine(this.partial);
    this.partial = '';
  }

  text(): string {
    return this.chunks.join('');
  }
}
