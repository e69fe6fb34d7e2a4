import type { ServerFlags, ServerLauncher } from './server-process.js';

/** Sizes and durations of one run: full (about seven minutes), or `--quick` (about four). */
export interface BenchSettings {
  /** Sequential round trips per latency figure. */
  sequential: number;
  warmup: number;
  /** Wall time of each sequential (one connection) run of the load generator. */
  sequentialMs: number;
  /** Wall time of the warm-up runs of the load generator. */
  warmupMs: number;
  /** Wall time of each throughput run. */
  throughputMs: number;
  concurrency: number[];
  /** Simulated agents the exec throughput is spread over. */
  execAgents: number;
  /**
   * Rounds of the exec section: the floor and each store measured in turn, again and again, so that a
   * slow minute of a shared machine falls on all of them; each figure is the median of its rounds.
   */
  execRounds: number;
  /** Simulated agents of the scale and storm figures. */
  scaleAgents: number;
  /** Simulator processes for the scale run. */
  simulators: number;
  /** First connects in flight per simulator process. */
  rampInFlight: number;
  /** Window of the idle CPU figure. */
  idleMs: number;
  /** Sequential requests per list-latency figure. */
  listRequests: number;
  /** Give up on a registration or a storm after this long. */
  deadlineMs: number;
}

/** What every section of the benchmark gets. */
export interface BenchContext {
  root: string;
  token: string;
  quick: boolean;
  fromSource: boolean;
  launcher: ServerLauncher;
  flags: ServerFlags;
  /** Node flags of the server processes (`--server-node-args="--cpu-prof"` to profile). */
  serverNodeArgs: string[];
  settings: BenchSettings;
  /**
   * Figures earlier sections measured, for the reference columns of later ones (the scale-out rows
   * read the one-process memory-store figures here), e.g. `exec.memory.real.p50` in ms.
   */
  figures: Map<string, number>;
  /** A progress line on stderr (the table goes to stdout). */
  log(message: string): void;
}
