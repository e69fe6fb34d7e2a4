import { OpenClawError } from '@openclaw-node/core';

/** Map a spawn-level failure (the program never started) to a stable code. */
export function spawnError(file: string, code: string | undefined, message: string): OpenClawError {
  if (code === 'ENOENT') {
    return new OpenClawError('APP_NOT_FOUND', `Cannot start ${file}: no such executable`, {
      details: { file, errno: code },
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOEXEC') {
    return new OpenClawError('APP_NOT_EXECUTABLE', `Cannot start ${file}: ${code}`, {
      details: { file, errno: code },
    });
  }
  return new OpenClawError('PROCESS_FAILED', `Cannot start ${file}: ${message}`, {
    details: { file, errno: code ?? null },
  });
}

/** The error a run ends with when its signal was aborted: the abort reason if it is ours. */
export function abortError(signal: AbortSignal): OpenClawError {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && 'code' in reason && typeof (reason as { code: unknown }).code === 'string') {
    return reason as OpenClawError;
  }
  return new OpenClawError('CANCELLED', 'The action was cancelled');
}
