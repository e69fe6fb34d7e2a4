import { Agent, request } from 'node:http';

/** A keep-alive HTTP/1.1 client on node:http: cheaper per request than fetch, so the load generator is not the bottleneck. */
export class HttpClient {
  readonly #agent: Agent;
  readonly #base: URL;
  readonly #headers: Record<string, string>;

  constructor(base: string, options: { token?: string; maxSockets?: number } = {}) {
    this.#base = new URL(base);
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
    this.#headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  /** GET; resolves with the status and body size once the whole body arrived. */
  get(path: string): Promise<{ status: number; bytes: number; body: Buffer }> {
    return this.#send('GET', path);
  }

  /** POST a JSON body (a string, serialised once by the caller). */
  post(path: string, json: string): Promise<{ status: number; bytes: number; body: Buffer }> {
    return this.#send('POST', path, json);
  }

  /** GET that must answer 200: throws otherwise. */
  async ok(path: string): Promise<number> {
    const r = await this.get(path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    return r.bytes;
  }

  close(): void {
    this.#agent.destroy();
  }

  #send(
    method: string,
    path: string,
    json?: string,
  ): Promise<{ status: number; bytes: number; body: Buffer }> {
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
            const body = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, bytes: body.length, body });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(json);
    });
  }
}
