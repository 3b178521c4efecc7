/**
 * Everything a request needs, built from one config. SIGHUP builds a new Runtime and swaps it in; a request
 * reads `service.runtime` once, so it finishes with the keys it started with.
 */
import type { FastifyRequest } from 'fastify'
import { buildApp, type AppRuntime } from './apps.js'
import { apiKeyAuth, userAuth, type ApiKeyAuth, type AuthRequest, type UserAuth } from './auth/index.js'
import type { OutageLog } from './auth/outage.js'
import type { AuditKind, AuditLog, AuditOutcome } from './audit.js'
import type { ServiceConfig } from './config/types.js'
import { checkUserId, UserSigError } from './core.js'
import { ERROR_STATUS, HttpError, type ErrorCode } from './errors.js'
import type { Metrics } from './metrics.js'
import { pmkPolicy, type PmkPolicy } from './policy/pmk.js'
import type { RateLimitStore } from './stores/index.js'

export interface Runtime {
  config: ServiceConfig
  apps: Map<number, AppRuntime>
  defaultApp: AppRuntime
  auth: UserAuth
  apiKeys: ApiKeyAuth
  policy: PmkPolicy
}

export function buildRuntime(config: ServiceConfig, nowMs: () => number, fetchImpl: typeof fetch, log: OutageLog | null = null): Runtime {
  const apps = new Map(config.apps.map((a) => [a.sdkAppId, buildApp(a)] as const))
  return {
    config,
    apps,
    defaultApp: apps.get(config.defaultSdkAppId)!,
    auth: userAuth(config.auth, nowMs, fetchImpl, log),
    apiKeys: apiKeyAuth(config.auth.apiKeys),
    policy: pmkPolicy(config.policy, fetchImpl),
  }
}

/** The long-lived parts shared by all routes. */
export interface Service {
  readonly runtime: Runtime
  readonly store: RateLimitStore
  readonly audit: AuditLog
  readonly metrics: Metrics
  /** Shutdown has begun: /readyz fails, answers carry Connection: close. */
  readonly closing: boolean
  nowMs(): number
}

export function authRequest(req: FastifyRequest): AuthRequest {
  return { headers: req.headers, remoteAddress: req.socket.remoteAddress ?? '', rawHeaders: req.raw.rawHeaders }
}

export function pickApp(rt: Runtime, sdkAppId: number | undefined): AppRuntime {
  if (sdkAppId === undefined) return rt.defaultApp
  const app = rt.apps.get(sdkAppId)
  if (!app) throw new HttpError('UNKNOWN_SDKAPPID', `SDKAppID ${sdkAppId} is not configured on this service`)
  return app
}

/** The authenticated identity's userId against the app's UserID policy (VERIFY.md §1). */
export function checkIdentityUserId(app: AppRuntime, userId: string): void {
  try {
    checkUserId(userId, app.userIdPolicy)
  } catch (e) {
    if (e instanceof UserSigError) {
      throw new HttpError('USERID_NOT_ALLOWED', `your userId does not satisfy the app's "${app.userIdPolicy}" UserID policy; ask the operator to map identities to valid UserIDs`)
    }
    throw e
  }
}

async function limit(svc: Service, scope: 'user' | 'ip', key: string, rule: { limit: number; window: number } | null): Promise<void> {
  const rl = svc.runtime.config.rateLimit
  if (!rl.enabled || rule === null) return
  const r = await svc.store.hit(`${scope}:${key}`, rule.limit, rule.window)
  if (!r.allowed) {
    svc.metrics.rateLimited.inc({ scope })
    throw new HttpError('RATE_LIMITED', `too many requests (${scope} limit: ${rule.limit} per ${rule.window}s); retry after ${r.retryAfter}s`, {
      headers: { 'retry-after': String(r.retryAfter) },
    })
  }
}

export function limitIp(svc: Service, ip: string): Promise<void> {
  return limit(svc, 'ip', ip, svc.runtime.config.rateLimit.perIp)
}

export function limitUser(svc: Service, sdkAppId: number, userId: string): Promise<void> {
  return limit(svc, 'user', `${sdkAppId}:${userId}`, svc.runtime.config.rateLimit.perUser)
}

/** Core input errors (bad room, bad privileges …) become 400 answers with the core's code; anything else is left alone. */
export function toHttpError(e: unknown): unknown {
  if (e instanceof UserSigError) {
    const code = (e.code in ERROR_STATUS ? e.code : 'INVALID_REQUEST') as ErrorCode
    return new HttpError(code, e.hint ? `${e.message} (${e.hint})` : e.message, { cause: e })
  }
  return e
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit kind of a route whose decisions are audited (its refusals before the handler runs too). */
    auditKind?: AuditKind
  }
}

/** The audit context a request on an audited route starts with: its kind (from the route's config), id and address. */
export function auditContext(req: FastifyRequest): AuditContext {
  const kind = req.routeOptions.config.auditKind
  if (kind === undefined) throw new Error(`route ${req.routeOptions.url ?? '?'} has no auditKind`)
  return { kind, requestId: req.id, clientIp: req.ip }
}

export interface AuditContext {
  kind: AuditKind
  requestId: string
  clientIp: string
  sdkAppId?: number
  app?: string
  userId?: string
  auth?: string
  roles?: string[]
  roomId?: number
  strRoomId?: string
}

/** Records a refused or failed decision (audit line + denial metric) and returns the error to throw. */
export function recordFailure(svc: Service, ctx: AuditContext, e: unknown): unknown {
  const err = toHttpError(e)
  const code = err instanceof HttpError ? err.code : 'INTERNAL'
  const outcome: AuditOutcome = err instanceof HttpError && err.status < 500 ? 'denied' : 'error'
  svc.metrics.denied.inc({ reason: code, kind: ctx.kind })
  svc.audit.record({ ...ctx, outcome, reason: code })
  return err
}
