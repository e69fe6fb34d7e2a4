import v8 from 'node:v8';

/**
 * V8 settings for a process whose work is this server: `openclaw server start` and `quickstart` call
 * it first. `createServer` does not, as the settings are the whole process's.
 *
 * Allocation-site pretenuring off. V8 allocates the objects of an object or array literal straight
 * in the old generation once most of them have outlived a young-generation collection. On the exec
 * path that decision, once taken (in a burst of registrations, or a stall under load), keeps itself
 * true: the pretenured objects of finished requests, dead but in the old generation, hold the next
 * requests' objects through every young collection until the next full one, so those outlive it too.
 * Measured: ~1.2 MB promoted per young collection under load, against ~30 KB without
 * (docs/benchmarks.md, session 17). V8 reads the flag when it decides, so setting it at start is
 * enough.
 */
export function tuneProcessForServer(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
