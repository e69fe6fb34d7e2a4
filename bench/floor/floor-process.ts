import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';

/** What is kept of the floor server's process (execa's ResultPromise does not survive exactOptionalPropertyTypes as an annotation). */
type FloorChild = Promise<unknown> & Pick<ChildProcess, 'kill' | 'pid'>;
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floor-server.ts');

/** The exec floor (floor-server.ts) in its own process, as the real server runs in its own. */
export class FloorProcess {
  readonly base: string;
  readonly agentUrl: string;
  readonly pid: number;
  readonly #child: FloorChild;

  private constructor(child: FloorChild, port: number) {
    this.#child = child;
    this.pid = child.pid!;
    this.base = `http://127.0.0.1:${port}`;
    this.agentUrl = `ws://127.0.0.1:${port}/ws`;
  }

  static async start(nodeArgs: string[] = []): Promise<FloorProcess> {
    const tsx = `--import=${import.meta.resolve('tsx')}`;
    const child = execa(process.execPath, [...nodeArgs, tsx, SCRIPT], { reject: false });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        void child.then((r) =>
          reject(new Error(`the floor server exited: ${String(r.stderr).slice(-2000)}`)),
        );
      });
      return new FloorProcess(child, port);
    } catch (error) {
      child.kill('SIGKILL');
      await child;
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#child.kill('SIGTERM');
    await this.#child;
  }
}
