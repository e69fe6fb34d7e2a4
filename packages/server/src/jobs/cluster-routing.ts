import type { RemoteConnection } from '../cluster/remote-connection.js';
import type { JobRecord } from './index.js';
import type { NodeSession } from '../nodes/node-session.js';

/** What the job machinery asks of the cluster (absent in the single-process default). */
export interface ClusterRouting {
  /** This process's id: recorded as the runner in the create of a job it sends itself (NewJob.runner). */
  readonly processId: string;
  isRemote(session: NodeSession): session is NodeSession & { connection: RemoteConnection };
  startOn(
    record: JobRecord,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): void;
  /**
   * The start call of a job about to be stored `running` for a node on another process, for the
   * store's create to publish with the job's first event (NewJob.handover); `settle` says whether it
   * went. Only for params whose schema marks nothing secret: script arguments can land in Redis's
   * SLOWLOG, a published message alone does not. Undefined when this process is stopping.
   */
  prepareStart(
    commandId: string,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): PreparedStart | undefined;
  deliverOn(owner: string, nodeId: string): void;
  holdHere(commandId: string, expiresAt: number | null): void;
  fetchHeld(commandId: string): Promise<Record<string, unknown> | undefined>;
  runnerOf(commandId: string): Promise<string | undefined>;
  cancelOn(
    owner: string,
    commandId: string,
    by: string | undefined,
  ): Promise<{ record: JobRecord; ended: boolean }>;
  abandonOn(owner: string, commandId: string, reason: string): Promise<void>;
}

/** A start call the store's create publishes (ClusterRouting.prepareStart). */
export interface PreparedStart {
  /** The process holding the node. */
  to: string;
  message: string;
  /**
   * After the create: `sent` when the store published it (the job then needs no startOn),
   * `not-sent` when it did not (a replay, or a store that does not publish), `unknown` when the
   * create failed (its script may have run).
   */
  settle(outcome: 'sent' | 'not-sent' | 'unknown'): void;
}

/** What the runner reports so Redis knows which process runs each job. */
export interface JobOwnershipTracker {
  /** `recorded`: the create already named this process as the runner (NewJob.runner). */
  sent(commandId: string, recorded: boolean): void;
  /** `ending`: the job's end is written next; the store's ending write releases it with it. */
  released(commandId: string, ending: boolean): void;
  /** True for a job this process handed to another one, until its end reaches this process. */
  runsElsewhere(commandId: string): boolean;
}
