/** How one check went: `warn` is worth knowing, `fail` stops the agent from working. */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor's report. */
export interface DoctorCheck {
  /** Stable id for scripts: `config`, `server`, `token`, `plugin:rv`, `allowed-path:/mnt/projects`… */
  id: string;
  title: string;
  status: DoctorStatus;
  /** What was found, in one or two sentences. */
  detail: string;
  /** What to do about it; set on every `warn` and `fail`. */
  fix?: string;
  /** Facts for scripts: latency, versions, paths. */
  data?: Record<string, unknown>;
}

/** Everything `openclaw agent doctor` found. */
export interface DoctorReport {
  /** True when no check failed (warnings allowed). */
  ok: boolean;
  /** The config file checked, or null when none was found. */
  config: string | null;
  checks: DoctorCheck[];
}

/** Build a check, leaving `fix` and `data` out when empty. */
export function check(
  id: string,
  title: string,
  status: DoctorStatus,
  detail: string,
  extra: { fix?: string | undefined; data?: Record<string, unknown> | undefined } = {},
): DoctorCheck {
  return {
    id,
    title,
    status,
    detail,
    ...(status !== 'ok' && extra.fix ? { fix: extra.fix } : {}),
    ...(extra.data ? { data: extra.data } : {}),
  };
}
