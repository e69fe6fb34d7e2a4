/** A mistake in the user's input: printed as `error: <message>` without a stack, exit code 1. */
export class ScaffoldError extends Error {
  /** The flag or answer at fault, e.g. `--param` or `name`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'ScaffoldError';
    this.field = field;
  }
}

/** True for a ScaffoldError, also across duplicate installs. */
export function isScaffoldError(value: unknown): value is ScaffoldError {
  return (
    value instanceof Error &&
    value.name === 'ScaffoldError' &&
    typeof (value as { field?: unknown }).field === 'string'
  );
}
