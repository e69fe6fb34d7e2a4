/**
 * True for a value to await: any thenable, not only a native Promise — a provider or limiter may be
 * anyone's code, or hand back another realm's promise. The checks that answer synchronously in
 * process (token file, in-memory limits) take the other branch without a promise or an await.
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
