/**
 * The gate in front of every route that checks a credential, run as the route's onRequest hook (or, for /metrics,
 * first thing in its handler): the per-address limit, then the per-address limit on failed credential checks, then
 * the check. Every failure is audited (an identity-source outage as `unavailable`, not as a denial) and counted
 * against the address; an address over `rateLimit.authFailures` gets 429 without its credential being looked at, so a
 * guessing loop learns nothing more. Because it runs before the body is parsed, an unknown caller gets 401 before
 * anything about the body is judged.
 */
import type { FastifyRequest } from 'fastify'
import type { AuditKind } from '../audit.js'
import type { ApiKeyScope } from '../config/types.js'
import { HttpError } from '../errors.js'
import { authRequest, limitIp, toHttpError, type AuditContext, type Service } from '../runtime.js'
import type { Principal } from './apikey.js'
import type { Identity } from './types.js'

/** Addresses over the failure limit, with when they may try again (bounded: the oldest entry goes first). */
const BLOCKED_MAX = 10000
const blockedBy = new WeakMap<Service, Map<string, number>>()
const identities = new WeakMap<FastifyRequest, Identity>()
const principals = new WeakMap<FastifyRequest, Principal>()

/** The caller the route's gate authenticated. */
export function identityOf(req: FastifyRequest): Identity {
  const id = identities.get(req)
  if (!id) throw new Error(`route ${req.routeOptions.url ?? '?'} has no user gate`)
  return id
}

export function principalOf(req: FastifyRequest): Principal {
  const p = principals.get(req)
  if (!p) throw new Error(`route ${req.routeOptions.url ?? '?'} has no API-key gate`)
  return p
}

/** onRequest hook: the user authenticators (JWT, trusted header, forward auth, demo). */
export function userGate(svc: Service) {
  return async (req: FastifyRequest): Promise<void> => {
    identities.set(req, await admit(svc, req, undefined, () => svc.runtime.auth.authenticate(authRequest(req))))
  }
}

/** onRequest hook: an API key with `scope`. */
export function apiKeyGate(svc: Service, scope: ApiKeyScope, kind?: AuditKind) {
  return async (req: FastifyRequest): Promise<void> => {
    principals.set(req, await admitApiKey(svc, req, scope, kind))
  }
}

/** The API-key check for a handler that decides per request whether it needs one. */
export function admitApiKey(svc: Service, req: FastifyRequest, scope: ApiKeyScope, kind?: AuditKind): Promise<Principal> {
  return admit(svc, req, kind, () => svc.runtime.apiKeys.require(authRequest(req), scope))
}

async function admit<T>(svc: Service, req: FastifyRequest, kind: AuditKind | undefined, check: () => T | Promise<T>): Promise<T> {
  const ctx: AuditContext = { kind: req.routeOptions.config.auditKind ?? kind ?? 'admin', requestId: req.id, clientIp: req.ip }
  try {
    await limitIp(svc, req.ip)
    refuseIfBlocked(svc, req.ip)
    try {
      return await check()
    } catch (e) {
      if (e instanceof HttpError && (e.status === 401 || e.status === 403)) await countFailure(svc, req.ip)
      throw e
    }
  } catch (e) {
    throw refused(svc, ctx, e)
  }
}

function blocked(svc: Service): Map<string, number> {
  let m = blockedBy.get(svc)
  if (!m) blockedBy.set(svc, (m = new Map()))
  return m
}

function tooMany(retryAfter: number): HttpError {
  return new HttpError('RATE_LIMITED', `too many failed credential checks from this address; retry after ${retryAfter}s`, {
    headers: { 'retry-after': String(retryAfter) },
  })
}

function refuseIfBlocked(svc: Service, ip: string): void {
  const m = blockedBy.get(svc)
  const until = m?.get(ip)
  if (until === undefined) return
  const left = until - svc.nowMs()
  if (left <= 0) {
    m!.delete(ip)
    return
  }
  svc.metrics.rateLimited.inc({ scope: 'authFailures' })
  throw tooMany(Math.ceil(left / 1000))
}

/** Counts a failed check in the shared store; over the limit, the address is refused until the window allows it. */
async function countFailure(svc: Service, ip: string): Promise<void> {
  const rl = svc.runtime.config.rateLimit
  if (!rl.enabled || rl.authFailures === null) return
  const r = await svc.store.hit(`authfail:${ip}`, rl.authFailures.limit, rl.authFailures.window)
  if (r.allowed) return
  const m = blocked(svc)
  if (m.size >= BLOCKED_MAX) m.delete(m.keys().next().value as string)
  m.set(ip, svc.nowMs() + r.retryAfter * 1000)
}

/** The audit line and denial count of a refused credential; returns the error to answer with. */
function refused(svc: Service, ctx: AuditContext, e: unknown): unknown {
  const err = toHttpError(e)
  const code = err instanceof HttpError ? err.code : 'INTERNAL'
  const reason = err instanceof HttpError && err.audit ? err.audit.reason : code
  const auth = err instanceof HttpError ? err.audit?.auth : undefined
  const outcome = code === 'AUTH_UNAVAILABLE' ? 'unavailable' : err instanceof HttpError && err.status < 500 ? 'denied' : 'error'
  if (outcome !== 'unavailable') svc.metrics.denied.inc({ reason: code, kind: ctx.kind })
  svc.audit.record({ ...ctx, ...(auth ? { auth } : {}), outcome, reason })
  return err
}
