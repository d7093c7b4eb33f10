/**
 * Results across boundaries: a command to an autopilot, a plan handed to an agent, a message
 * off the wire either succeeds with a value or fails with a machine-readable reason. Inside a
 * process, typed errors are fine; at a boundary, return one of these.
 */
export type Result<T, E extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: E; readonly detail?: string };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E extends string>(reason: E, detail?: string): Result<never, E> =>
  detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
