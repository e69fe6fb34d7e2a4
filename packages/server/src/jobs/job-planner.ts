import {
  OpenClawError,
  assertValid,
  type ActionId,
  type ActionManifest,
  type JsonSchema,
  type Validator,
} from '@openclaw-node/core';
import type { JobOrigins } from '../security/audit/job-origins.js';
import type { Principal } from '../security/auth/auth-provider.js';
import type { ClusterRouting, PreparedStart } from './cluster-routing.js';
import { marksNothingSecret } from './store/redact.js';
import { newCommandId } from './command-id.js';
import { copyJson } from './copy-json.js';
import { isNodeId } from '../gateway/node-id.js';
import type { JobRunner } from './job-runner.js';
import type { CreateJobResult, JobRecord, JobStore } from './index.js';
import type { LastSeenNodes } from '../nodes/last-seen-nodes.js';
import type { NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { OfflineQueue } from './offline-queue.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import { resolveTarget } from './resolve-target.js';

export interface JobPlannerOptions {
  registry: NodeRegistry;
  catalog: PluginCatalog;
  store: JobStore;
  runner: JobRunner;
  queue: OfflineQueue;
  lastSeen: LastSeenNodes;
  defaultTimeoutS: number;
  maxTimeoutS: number;
  maxTtlS: number;
  defaultTtlS: number;
  /** Scale-out mode: jobs for nodes held by another process start there. */
  cluster?: ClusterRouting;
  /** Where each created job's request came from, for its audit record. */
  origins?: JobOrigins;
}

/** What an exec asks for, once its body was checked. */
export interface JobRequest {
  action: string;
  params?: Record<string, unknown>;
  timeout?: number;
  queue?: boolean;
  ttl?: number;
}

/** One job ready to be stored and sent: params validated (schema defaults filled) for its node. */
export interface JobPlan {
  nodeId: string;
  /** Absent for a node that is not connected (an offline-queued job). */
  session: NodeSession | undefined;
  params: Record<string, unknown>;
  /** The action's params schema, for redaction; undefined when no node advertised the action. */
  schema: JsonSchema | undefined;
  timeoutS: number;
}

/** Who asked, and how the job belongs to its request. */
export interface JobOrigin {
  requestedBy: string | null;
  /** The request's caller, noted for the job's audit record. */
  caller?: { address?: string | undefined; principal?: Principal | undefined };
  idempotencyKey?: string | undefined;
  fingerprint?: string | null;
  batchId?: string;
  /** The caller is answered only at the job's end: its record may be committed with it (NewJob.awaits_end). */
  awaitsEnd?: boolean;
  /**
   * The job is started as soon as it is stored, whatever the create answers (one exec, not a batch
   * that may yet be given up): in scale-out its start call to the node's process may go out with the
   * create itself (NewJob.handover).
   */
  startsAtOnce?: boolean;
}

// Every value redacted: what to store when no schema says which params are secret.
const UNKNOWN_SCHEMA: JsonSchema = { type: 'object', secret: true };

/** Plans, stores and starts jobs: the part of an exec shared by one node and a fan-out. */
export class JobPlanner {
  readonly #o: JobPlannerOptions;

  constructor(options: JobPlannerOptions) {
    this.#o = options;
  }

  /** The ttl of an offline-queued job in seconds; INVALID_BODY naming `body.ttl` when it does not apply. */
  ttlOf(request: JobRequest): number | undefined {
    if (request.ttl !== undefined && request.queue !== true) {
      throw new OpenClawError('INVALID_BODY', 'body.ttl only applies with "queue": true', {
        details: { field: 'body.ttl' },
      });
    }
    if (request.queue !== true) return undefined;
    const ttl = request.ttl ?? this.#o.defaultTtlS;
    if (ttl > this.#o.maxTtlS) {
      throw new OpenClawError(
        'INVALID_BODY',
        `body.ttl must be at most ${this.#o.maxTtlS} seconds (the server's maxTtlS), got ${ttl}`,
        { details: { field: 'body.ttl', max: this.#o.maxTtlS } },
      );
    }
    return ttl;
  }

  /** Plan a job for a connected node; throws NODE_NOT_FOUND, PLUGIN_NOT_FOUND, …, INVALID_PARAMS. */
  plan(nodeId: string, id: ActionId, request: JobRequest): JobPlan {
    const target = resolveTarget(this.#o.registry, this.#o.catalog, nodeId, id);
    const params = copyJson(request.params ?? {});
    assertValid(target.validate(params));
    return {
      nodeId,
      session: target.session,
      params,
      schema: target.action.params,
      timeoutS: this.#timeout(request, target.action),
    };
  }

  /**
   * Plan a job for a node that is not connected: checked against the manifest it advertised when
   * last seen, else against another node's copy of the plugin; unchecked when nobody has it (the
   * check then happens at delivery, and every param is stored redacted).
   */
  planOffline(nodeId: string, id: ActionId, request: JobRequest): JobPlan {
    if (!isNodeId(nodeId)) {
      throw new OpenClawError(
        'INVALID_BODY',
        `"${String(nodeId)}" is not a node id: 1-128 letters, digits, ".", "_" or "-"`,
        { details: { field: 'node_id' } },
      );
    }
    const known = this.#knownAction(nodeId, id);
    const params = copyJson(request.params ?? {});
    if (known) assertValid(known.validate(params));
    return {
      nodeId,
      session: undefined,
      params,
      schema: known ? known.action.params : UNKNOWN_SCHEMA,
      timeoutS: this.#timeout(request, known?.action),
    };
  }

  /** Store the job: `running` to be sent now, or `queued` (with its expiry) for the offline queue. */
  async create(plan: JobPlan, request: JobRequest, origin: JobOrigin): Promise<CreateJobResult> {
    const ttl = this.ttlOf(request);
    const commandId = newCommandId();
    const runner = ttl === undefined ? this.#localRunner(plan) : undefined;
    const requester = ttl === undefined ? this.#remoteRequester(plan) : undefined;
    const handover =
      ttl === undefined && origin.startsAtOnce === true ? this.#handover(commandId, plan) : undefined;
    // Noted before the store's first event for the job goes out (the audit and metrics look it up there).
    if (origin.caller) this.#o.origins?.note(commandId, origin.caller);
    let created: CreateJobResult;
    try {
      created = await this.#o.store.create({
        command_id: commandId,
        node_id: plan.nodeId,
        action: request.action,
        params: plan.params,
        ...(plan.schema ? { params_schema: plan.schema } : {}),
        requested_by: origin.requestedBy,
        state: ttl === undefined ? 'running' : 'queued',
        timeout_s: plan.timeoutS,
        expires_at: ttl === undefined ? null : Date.now() + Math.round(ttl * 1000),
        idempotency_key: origin.idempotencyKey ?? null,
        batch_id: origin.batchId ?? null,
        request_hash: origin.fingerprint ?? null,
        ...(origin.awaitsEnd === true ? { awaits_end: true } : {}),
        minted_id: true,
        ...(runner === undefined ? {} : { runner }),
        ...(requester === undefined ? {} : { requester }),
        ...(handover === undefined ? {} : { handover: { to: handover.to, message: handover.message } }),
      });
    } catch (error) {
      handover?.settle('unknown');
      this.#o.origins?.take(commandId);
      throw error;
    }
    handover?.settle(created.created && created.handed_over === true ? 'sent' : 'not-sent');
    if (!created.created) this.#o.origins?.take(commandId);
    return created;
  }

  /** Send a stored job now, or hand a queued one to the offline queue. */
  start(record: JobRecord, plan: JobPlan): void {
    if (record.state === 'queued') {
      this.#o.queue.hold(
        record.command_id,
        plan.params,
        record.expires_at === null ? null : Date.parse(record.expires_at),
      );
      if (this.#o.registry.get(plan.nodeId)) this.#o.queue.deliver(plan.nodeId);
      return;
    }
    const session = plan.session!;
    const timeoutMs = this.#timeoutMs(plan);
    const { cluster } = this.#o;
    if (cluster?.isRemote(session)) return cluster.startOn(record, session, plan.params, timeoutMs);
    this.#o.runner.send({
      record,
      nodeId: plan.nodeId,
      connection: session.connection,
      params: plan.params,
      timeoutMs,
      offline: false,
      acceptsJobs: session.limits !== undefined,
      runnerRecorded: this.#localRunner(plan) !== undefined,
    });
  }

  /** Scale-out: the start call of a job for a node on another process, sent with its create when it can be. */
  #handover(commandId: string, plan: JobPlan): PreparedStart | undefined {
    const { cluster } = this.#o;
    const session = plan.session;
    if (!cluster || !session || !cluster.isRemote(session)) return undefined;
    if (!plan.schema || !marksNothingSecret(plan.schema)) return undefined;
    return cluster.prepareStart(commandId, session, plan.params, this.#timeoutMs(plan));
  }

  #timeoutMs(plan: JobPlan): number {
    return Math.max(1, Math.round(plan.timeoutS * 1000));
  }

  /** Scale-out: this process, when another one is to send the planned job (the node's socket is there). */
  #remoteRequester(plan: JobPlan): string | undefined {
    const { cluster } = this.#o;
    return cluster && plan.session && cluster.isRemote(plan.session) ? cluster.processId : undefined;
  }

  /** Scale-out: this process, when it sends the planned job itself (the node's socket is here). */
  #localRunner(plan: JobPlan): string | undefined {
    const { cluster } = this.#o;
    return cluster && plan.session && !cluster.isRemote(plan.session) ? cluster.processId : undefined;
  }

  #timeout(request: JobRequest, action: ActionManifest | undefined): number {
    return Math.min(request.timeout ?? action?.timeout ?? this.#o.defaultTimeoutS, this.#o.maxTimeoutS);
  }

  #knownAction(nodeId: string, id: ActionId): { action: ActionManifest; validate: Validator } | undefined {
    const { catalog, registry, lastSeen } = this.#o;
    const lookup = (session: NodeSession | undefined) => {
      const plugin = session?.plugins.get(id.plugin);
      if (!plugin) return undefined;
      if (!Object.hasOwn(plugin.manifest.actions, id.action)) {
        const known = Object.keys(plugin.manifest.actions).sort();
        throw new OpenClawError(
          'ACTION_NOT_FOUND',
          `Plugin ${id.plugin} ${plugin.manifest.version} has no action "${id.action}"; it has: ${known.join(', ')}`,
          { details: { field: 'action', plugin: id.plugin, action: id.action, actions: known } },
        );
      }
      const validate = catalog.validator(plugin.hash, id.action);
      return validate && { action: plugin.manifest.actions[id.action]!, validate };
    };
    const own = lookup(lastSeen.get(nodeId));
    if (own) return own;
    const entry = catalog.get(id.plugin);
    const newest = entry?.nodes.find((n) => n.version === entry.versions[0]);
    return newest ? lookup(registry.get(newest.node_id)) : undefined;
  }
}
