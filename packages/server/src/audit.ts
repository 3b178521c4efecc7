/**
 * The audit trail: one JSON line per decision (issued, denied, verified …) through pino, plus a ring buffer of
 * recent events for GET /v1/admin/audit. An event holds identifiers, times and the key fingerprint; its type has
 * no field that could hold a secret, a UserSig or a credential.
 */
import type { AuditEvent as IssuerAuditEvent } from '@usersig/issuer'
import type { Logger } from 'pino'

/** `admin` and `metrics`: the API-key routes that are audited only when their credential check fails. */
export type AuditKind = 'usersig' | 'privateMapKey' | 'adminUserSig' | 'verify' | 'explain' | 'admin' | 'metrics'
/** `unavailable`: an identity source (JWKS, forward auth) could not be asked: an outage, not a denial of the caller. */
export type AuditOutcome = 'issued' | 'denied' | 'error' | 'valid' | 'invalid' | 'unavailable'

/** The pipeline's audit line, with the service's kinds and outcomes. */
export type AuditEvent = IssuerAuditEvent<AuditKind, AuditOutcome>

export interface AuditLog {
  /** Keeps and writes one event; stamped with the time now unless it carries its own (the issuing pipeline's do). */
  record(e: Omit<AuditEvent, 'time'> & { time?: string }): void
  recent(limit: number): AuditEvent[]
}

export function auditLog(logger: Logger | null, bufferSize: number, nowMs: () => number): AuditLog {
  const ring: (AuditEvent | undefined)[] = new Array(bufferSize)
  let next = 0
  let count = 0
  return {
    record(e) {
      const event: AuditEvent = e.time === undefined ? { time: new Date(nowMs()).toISOString(), ...e } : (e as AuditEvent)
      ring[next] = event
      next = (next + 1) % bufferSize
      count = Math.min(count + 1, bufferSize)
      logger?.info({ audit: event }, 'audit')
    },
    recent(limit) {
      const out: AuditEvent[] = []
      for (let i = 1; i <= Math.min(limit, count); i++) out.push(ring[(next - i + bufferSize) % bufferSize]!)
      return out
    },
  }
}
