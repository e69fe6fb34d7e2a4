import { isOpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import {
  JOB_STATES,
  JOB_TRANSITIONS,
  TERMINAL_STATES,
  assertTransition,
  canTransition,
  defaultJobError,
  isJobState,
  isTerminal,
  type JobState,
} from '../../src/jobs/index.js';

describe('job states and transitions', () => {
  it('allows exactly these moves', () => {
    const moves = JOB_STATES.flatMap((from) =>
      JOB_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(moves).toEqual([
      'queued→running',
      'queued→failed',
      'queued→cancelled',
      'queued→lost',
      'queued→expired',
      'running→succeeded',
      'running→failed',
      'running→timed_out',
      'running→cancelled',
      'running→lost',
    ]);
  });

  it('never lets a terminal state change, and every non-terminal state can end', () => {
    for (const state of JOB_STATES) {
      expect(isTerminal(state)).toBe((TERMINAL_STATES as readonly JobState[]).includes(state));
      if (isTerminal(state)) expect(JOB_TRANSITIONS[state]).toEqual([]);
      else expect(JOB_TRANSITIONS[state].some(isTerminal)).toBe(true);
    }
    expect(TERMINAL_STATES).toEqual(['succeeded', 'failed', 'timed_out', 'cancelled', 'lost', 'expired']);
  });

  it('never moves a job back to queued or to the state it is in', () => {
    for (const from of JOB_STATES) {
      expect(canTransition(from, 'queued')).toBe(false);
      expect(canTransition(from, from)).toBe(false);
    }
  });

  it('explains a refused move with JOB_STATE_CONFLICT', () => {
    let thrown: unknown;
    try {
      assertTransition('c-9', 'succeeded', 'failed');
    } catch (error) {
      thrown = error;
    }
    expect(isOpenClawError(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      code: 'JOB_STATE_CONFLICT',
      status: 409,
      message: 'Job c-9 cannot become failed: it already ended as succeeded',
      details: { field: 'state', command_id: 'c-9', from: 'succeeded', to: 'failed' },
    });
    expect(() => assertTransition('c-9', 'queued', 'timed_out')).toThrow(
      'queued may only become running, failed, cancelled, lost, expired',
    );
    expect(() => assertTransition('c-9', 'queued', 'running')).not.toThrow();
  });

  it('recognises state names', () => {
    expect(JOB_STATES.every(isJobState)).toBe(true);
    expect(isJobState('done')).toBe(false);
    expect(isJobState(undefined)).toBe(false);
  });

  it('gives each failing end a default error with a known code', () => {
    expect(defaultJobError('lost').code).toBe('JOB_LOST');
    expect(defaultJobError('expired').code).toBe('JOB_EXPIRED');
    expect(defaultJobError('timed_out').code).toBe('TIMEOUT');
    expect(defaultJobError('cancelled').code).toBe('CANCELLED');
    expect(defaultJobError('failed').code).toBe('ACTION_FAILED');
  });
});
