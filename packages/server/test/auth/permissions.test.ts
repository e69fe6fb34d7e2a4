import { isOpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import {
  assertCanConnectAs,
  assertCanExec,
  assertCanSeeNode,
  assertRestAccess,
  canExec,
} from '../../src/security/auth/permissions.js';
import type { Principal } from '../../src/index.js';

const admin: Principal = { name: 'root', roles: ['admin'] };
const operator: Principal = {
  name: 'ci',
  roles: ['operator'],
  nodes: ['ws-*'],
  actions: ['explorer.*', 'rv.*'],
};
const viewer: Principal = { name: 'wall', roles: ['viewer'], nodes: ['ws-1*'] };
const agent: Principal = { name: 'ws-042', roles: ['agent'], nodes: ['ws-042'] };

function refusal(run: () => void): { code: string; message: string; details: unknown } {
  try {
    run();
  } catch (error) {
    if (isOpenClawError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('assertRestAccess', () => {
  it('lets admin, operator and viewer read', () => {
    for (const p of [admin, operator, viewer]) expect(() => assertRestAccess(p, 'GET')).not.toThrow();
  });

  it('refuses agent tokens on every method, saying they are agent tokens', () => {
    const error = refusal(() => assertRestAccess(agent, 'GET'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('agent token');
    expect(error.details).toMatchObject({ token: 'ws-042' });
  });

  it('lets viewers only read', () => {
    expect(refusal(() => assertRestAccess(viewer, 'post'))).toMatchObject({
      code: 'FORBIDDEN',
      details: { method: 'POST', token: 'wall' },
    });
    expect(() => assertRestAccess(operator, 'POST')).not.toThrow();
    expect(() => assertRestAccess(admin, 'DELETE')).not.toThrow();
  });

  it('refuses a principal without any role (a JWT without our claims)', () => {
    expect(refusal(() => assertRestAccess({ name: 'sub-1', roles: [] }, 'GET')).code).toBe('FORBIDDEN');
  });
});

describe('assertCanExec', () => {
  it('allows an operator inside its node and action globs', () => {
    expect(canExec(operator, 'ws-042', 'rv.open_sources')).toBe(true);
    expect(() => assertCanExec(operator, 'ws-042', 'explorer.open_folder')).not.toThrow();
  });

  it('names the node when the node is out of scope', () => {
    expect(refusal(() => assertCanExec(operator, 'render-01', 'rv.open_sources'))).toEqual({
      code: 'FORBIDDEN',
      message: 'The token "ci" is not allowed to use node "render-01"',
      details: { node_id: 'render-01', token: 'ci' },
    });
  });

  it('names the action when the action is out of scope', () => {
    expect(refusal(() => assertCanExec(operator, 'ws-042', 'nuke.render_write'))).toEqual({
      code: 'FORBIDDEN',
      message: 'The token "ci" is not allowed to run nuke.render_write',
      details: { action: 'nuke.render_write', token: 'ci' },
    });
  });

  it('refuses viewers and agents whatever the globs', () => {
    expect(refusal(() => assertCanExec(viewer, 'ws-1', 'rv.open_sources')).code).toBe('FORBIDDEN');
    expect(refusal(() => assertCanExec(agent, 'ws-042', 'rv.open_sources')).code).toBe('FORBIDDEN');
  });

  it('applies globs to admins too when they are given', () => {
    expect(() => assertCanExec(admin, 'any', 'any.thing')).not.toThrow();
    const scopedAdmin: Principal = { name: 'a', roles: ['admin'], nodes: ['ws-*'] };
    expect(refusal(() => assertCanExec(scopedAdmin, 'render-1', 'rv.ping')).details).toEqual({
      node_id: 'render-1',
      token: 'a',
    });
  });
});

describe('assertCanSeeNode and assertCanConnectAs', () => {
  it('limits node-scoped principals to their nodes', () => {
    expect(() => assertCanSeeNode(viewer, 'ws-12')).not.toThrow();
    expect(refusal(() => assertCanSeeNode(viewer, 'ws-2')).details).toEqual({
      node_id: 'ws-2',
      token: 'wall',
    });
  });

  it('lets an agent token connect only as a node its globs cover', () => {
    expect(() => assertCanConnectAs(agent, 'ws-042')).not.toThrow();
    expect(refusal(() => assertCanConnectAs(agent, 'ws-043'))).toMatchObject({
      code: 'FORBIDDEN',
      details: { node_id: 'ws-043', token: 'ws-042' },
    });
    expect(refusal(() => assertCanConnectAs(operator, 'ws-042')).details).toMatchObject({
      required_role: 'agent',
    });
  });
});
