import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackoffOptions } from '@openclaw-node/agent';
import type { HelloPayload } from '@openclaw-node/core';
import type {
  ChildMessage,
  ParentMessage,
  JobEventStyle,
  SwarmConfig,
  SwarmProgress,
} from './swarm-messages.js';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'swarm-main.ts');

export interface SwarmOptions {
  serverUrl: string;
  /** More servers, each with its own set of the same `count` agents (ids), in the same processes. */
  moreServerUrls?: string[];
  token: string;
  /** Simulated agents in all. */
  count: number;
  /** Simulator processes to spread them over. */
  processes: number;
  idPrefix: string;
  hello: HelloPayload;
  /** First connects in flight per process. Default 64. */
  rampInFlight?: number;
  /** Default: the real agent's 1 s → 60 s, ±50 %. */
  backoff?: BackoffOptions;
  helloTimeoutMs?: number;
  jobEvents?: JobEventStyle;
  /** Default true (see SwarmConfig.pluginRefs). */
  pluginRefs?: boolean;
}

const ZERO: SwarmProgress = {
  registered: 0,
  connected: 0,
  hellos: 0,
  connectErrors: 0,
  helloFailures: 0,
  disconnects: 0,
  giveUps: 0,
  execs: 0,
  maxDelayMs: 0,
  errors: [],
};

/** Simulated agents in separate processes (parent side): start, watch the summed counters, stop. */
export class Swarm {
  readonly #children: ChildProcess[] = [];
  readonly #configs: SwarmConfig[] = [];
  readonly #progress: SwarmProgress[] = [];
  readonly #waiters = new Set<() => void>();
  #failure: Error | undefined;

  private constructor() {}

  /** Fork the simulator processes; resolves when every one has loaded (connect() starts the clock). */
  static async spawn(options: SwarmOptions): Promise<Swarm> {
    const swarm = new Swarm();
    const processes = Math.max(1, Math.min(options.processes, options.count));
    let first = 0;
    const ready: Promise<void>[] = [];
    for (let p = 0; p < processes; p++) {
      const count = Math.floor(options.count / processes) + (p < options.count % processes ? 1 : 0);
      swarm.#configs.push({
        serverUrl: options.serverUrl,
        ...(options.moreServerUrls ? { moreServerUrls: options.moreServerUrls } : {}),
        token: options.token,
        idPrefix: options.idPrefix,
        first,
        count,
        hello: options.hello,
        rampInFlight: options.rampInFlight ?? 64,
        backoff: options.backoff ?? { initialMs: 1000, maxMs: 60_000, jitter: 0.5 },
        helloTimeoutMs: options.helloTimeoutMs ?? 10_000,
        jobEvents: options.jobEvents ?? 'combined',
        pluginRefs: options.pluginRefs ?? true,
      });
      first += count;
      ready.push(swarm.#spawn(p));
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await swarm.stop();
      throw error;
    }
    return swarm;
  }

  /** Every simulator starts connecting its agents. */
  connect(): void {
    this.#children.forEach((child, i) => this.#post(child, { type: 'start', config: this.#configs[i]! }));
  }

  /** Process ids of the simulators. */
  get pids(): number[] {
    return this.#children.map((c) => c.pid ?? 0);
  }

  /** Counters summed over every simulator process (errors: the first few distinct ones). */
  get progress(): SwarmProgress {
    return sum(this.#progress);
  }

  /** Resolve when `predicate` holds for the summed counters; reject after `timeoutMs`. */
  waitFor(predicate: (p: SwarmProgress) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.#failure) return done(this.#failure);
        if (predicate(this.progress)) done();
      };
      const timer = setTimeout(
        () => done(new Error(`${what}: not reached in ${timeoutMs / 1000} s (${describe(this.progress)})`)),
        timeoutMs,
      );
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Close every simulated connection and wait for the processes to exit. */
  async stop(): Promise<SwarmProgress> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => clearTimeout(kill));
            this.#post(child, { type: 'stop' });
          }),
      ),
    );
    return this.progress;
  }

  #spawn(index: number): Promise<void> {
    // Inherits tsx's loader from process.execArgv; a larger heap for thousands of sockets.
    const child = fork(MAIN, [], {
      execArgv: [...process.execArgv, '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#children.push(child);
    this.#progress[index] = { ...ZERO };
    return new Promise((resolve, reject) => {
      child.on('message', (message: ChildMessage) => {
        switch (message.type) {
          case 'ready':
            return resolve();
          case 'failed':
            this.#failure = new Error(`simulator ${index}: ${message.message}`);
            break;
          case 'progress':
          case 'stopped':
            this.#progress[index] = message.progress;
            break;
        }
        for (const waiter of [...this.#waiters]) waiter();
      });
      child.on('exit', (code, signal) => {
        if (code !== 0 && !this.#failure)
          this.#failure = new Error(`simulator ${index} exited (${signal ?? `code ${code}`})`);
        reject(this.#failure ?? new Error(`simulator ${index} exited before it was ready`));
        for (const waiter of [...this.#waiters]) waiter();
      });
    });
  }

  #post(child: ChildProcess, message: ParentMessage): void {
    if (child.connected) child.send(message);
  }
}

function sum(all: SwarmProgress[]): SwarmProgress {
  const total: SwarmProgress = { ...ZERO, errors: [] };
  for (const p of all) {
    total.registered += p.registered;
    total.connected += p.connected;
    total.hellos += p.hellos;
    total.connectErrors += p.connectErrors;
    total.helloFailures += p.helloFailures;
    total.disconnects += p.disconnects;
    total.giveUps += p.giveUps;
    total.execs += p.execs;
    total.maxDelayMs = Math.max(total.maxDelayMs, p.maxDelayMs);
    for (const e of p.errors) if (total.errors.length < 8 && !total.errors.includes(e)) total.errors.push(e);
  }
  return total;
}

/** One line of counters for error messages and logs. */
export function describe(p: SwarmProgress): string {
  return (
    `registered ${p.registered}, connected ${p.connected}, connect errors ${p.connectErrors}, ` +
    `hello failures ${p.helloFailures}, give-ups ${p.giveUps}` +
    (p.errors.length ? `; errors: ${p.errors.join(' | ')}` : '')
  );
}
