import { Agent, request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** One answer: status, the decoded body, and how many bytes crossed the wire. */
export interface HttpAnswer {
  status: number;
  body: Buffer;
  /** Bytes on the wire (compressed, when the server compressed). */
  wireBytes: number;
  /** Content-Encoding, or "identity". */
  encoding: string;
}

/**
 * A keep-alive HTTP/1.1 client on node:http: cheaper per request than fetch, so the load generator is
 * not the bottleneck. Like fetch, it accepts brotli and gzip and decompresses (that time counts).
 */
export class HttpClient {
  readonly #agent: Agent;
  readonly #base: URL;
  readonly #headers: Record<string, string>;

  constructor(base: string, options: { token?: string | undefined; maxSockets?: number } = {}) {
    this.#base = new URL(base);
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
    this.#headers = { 'accept-encoding': 'gzip, deflate, br' };
    if (options.token) this.#headers.authorization = `Bearer ${options.token}`;
  }

  /** GET; resolves with the status and body size once the whole body arrived. */
  get(path: string): Promise<HttpAnswer> {
    return this.#send('GET', path);
  }

  /** POST a JSON body (a string, serialised once by the caller). */
  post(path: string, json: string): Promise<HttpAnswer> {
    return this.#send('POST', path, json);
  }

  /** GET that must answer 200: throws otherwise. */
  async ok(path: string): Promise<HttpAnswer> {
    const r = await this.get(path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    return r;
  }

  close(): void {
    this.#agent.destroy();
  }

  #send(method: string, path: string, json?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.#headers };
      if (json !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(json);
      }
      const req = request(
        {
          agent: this.#agent,
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const wire = Buffer.concat(chunks);
            const encoding = res.headers['content-encoding'];
            const body =
              encoding === 'br' ? brotliDecompressSync(wire) : encoding === 'gzip' ? gunzipSync(wire) : wire;
            resolve({
              status: res.statusCode ?? 0,
              body,
              wireBytes: wire.length,
              encoding: encoding ?? 'identity',
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(json);
    });
  }
}
