import { randomBytes } from 'node:crypto';

/**
 * Ids that only need to be unique among the messages and writes of every process sharing one Redis
 * (a write recognising its own resend, a reply finding its call): a random prefix drawn once per
 * process, then a counter. Not secrets: whoever can publish on the Redis can forge any message anyway.
 * Drawing random bytes per id cost a system call per store write on the exec path.
 */
export function messageIdSource(): () => string {
  const prefix = randomBytes(9).toString('base64url');
  let next = 0;
  return () => `${prefix}${(next++).toString(36)}`;
}
