import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let sequence = 0;
// Random bytes drawn 4 KiB at a time (as crypto.randomUUID does): one system call per 256 ids, not per id.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/**
 * A new job id: a UUID version 7 (RFC 9562), time-ordered and monotonic within this process, so jobs
 * created in the same millisecond still list and deliver in creation order.
 * @example newCommandId() // '0193a5c2-7f10-7000-8a1b-…'
 */
export function newCommandId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // 4096 ids in one millisecond: borrow the next one rather than repeat an order.
    lastMs += 1;
    sequence = 0;
  }
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, (poolAt += 16)));
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
