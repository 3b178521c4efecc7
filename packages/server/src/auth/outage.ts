/**
 * The state of one identity source the service asks over the network (the JWKS URL, the forward-auth endpoint).
 * A failure to get an answer from it is an outage, not a verdict on the caller: 503 AUTH_UNAVAILABLE with Retry-After.
 * An outage is logged once when it starts and once when it ends (with how many requests it refused), never per
 * request. `gate()` lets a source whose failures do not depend on the caller (the JWKS URL) answer at once while it
 * is known to be down, asking it again at most once per RETRY_AFTER_S.
 */
import { HttpError } from '../errors.js'

export const RETRY_AFTER_S = 2

export interface OutageLog {
  warn(obj: object, msg: string): void
  info(obj: object, msg: string): void
}

export interface Outage {
  /** Throws AUTH_UNAVAILABLE at once while the source is known to be down and not yet due for another try. */
  gate(): void
  /** Records a failure to reach the source (logged only if it starts an outage); returns the error to answer with. */
  failed(why: string, cause?: unknown): HttpError
  /** Records an answer from the source (ends an outage, logged once). */
  ok(): void
}

export function outage(source: string, log: OutageLog | null, nowMs: () => number): Outage {
  let downSince: number | null = null
  let retryAt = 0
  let refused = 0
  const unavailable = (message: string, cause?: unknown) =>
    new HttpError('AUTH_UNAVAILABLE', message, { headers: { 'retry-after': String(RETRY_AFTER_S) }, logged: true, cause })
  return {
    gate() {
      if (downSince !== null && nowMs() < retryAt) {
        refused++
        throw unavailable(`the ${source} is unavailable; retry in ${RETRY_AFTER_S}s`)
      }
    },
    failed(why, cause) {
      const now = nowMs()
      if (downSince === null) {
        downSince = now
        refused = 0
        log?.warn({ source, reason: why }, `${source} unavailable: callers get 503 AUTH_UNAVAILABLE until it answers again`)
      }
      refused++
      retryAt = now + RETRY_AFTER_S * 1000
      return unavailable(`the ${source} ${why}`, cause)
    },
    ok() {
      if (downSince === null) return
      log?.info({ source, downMs: nowMs() - downSince, refused }, `${source} available again`)
      downSince = null
    },
  }
}
