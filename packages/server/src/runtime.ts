/**
 * Everything a request needs, built from one config. SIGHUP builds a new Runtime and swaps it in; a request
 * reads `service.runtime` once, so it finishes with the keys it started with.
 */
import type { FastifyRequest } from 'fastify'
import { checkLimit, createIssuer, requestedSdkAppId, toHttpError, type AuditContext as IssuerAuditContext, type Issuer, type IssuerDeps } from '@usersig/issuer'
import { buildApp, type AppRuntime } from './apps.js'
import { apiKeyAuth, userAuth, type ApiKeyAuth, type AuthRequest, type UserAuth } from './auth/index.js'
import type { OutageLog } from './auth/outage.js'
import type { AuditKind, AuditLog, AuditOutcome } from './audit.js'
import type { ServiceConfig } from './config/types.js'
import { HttpError } from './errors.js'
import type { Metrics } from './metrics.js'
import { pmkPolicy, type PmkPolicy } from './policy/pmk.js'
import type { RateLimitStore } from './stores/index.js'

// Core input errors become 400 answers the same way in both adapters.
export { toHttpError }

export interface Runtime {
  config: ServiceConfig
  apps: Map<number, AppRuntime>
  defaultApp: AppRuntime
  auth: UserAuth
  apiKeys: ApiKeyAuth
  policy: PmkPolicy
  /** The issuing steps (the pipeline's) over this config's apps, policy and per-user limit. */
  issuer: Issuer
}

/** What a runtime needs besides its config: the clock, fetch, the outage log, and the issuer's store, audit sink and hooks. */
export interface RuntimeDeps {
  nowMs: () => number
  fetch: typeof fetch
  log: OutageLog | null
  issuer: Omit<IssuerDeps, 'now'>
}

export function buildRuntime(config: ServiceConfig, deps: RuntimeDeps): Runtime {
  const apps = new Map(config.apps.map((a) => [a.sdkAppId, buildApp(a)] as const))
  const policy = pmkPolicy(config.policy, deps.fetch)
  const rl = config.rateLimit
  return {
    config,
    apps,
    defaultApp: apps.get(config.defaultSdkAppId)!,
    auth: userAuth(config.auth, deps.nowMs, deps.fetch, deps.log),
    apiKeys: apiKeyAuth(config.auth.apiKeys),
    policy,
    issuer: createIssuer({ apps, defaultSdkAppId: config.defaultSdkAppId, policy, perUser: rl.enabled ? rl.perUser : null }, { ...deps.issuer, now: deps.nowMs }),
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

/** The app a request names (its sdkAppId read by the one rule, requestedSdkAppId), else the default app. */
export function pickApp(rt: Runtime, requested: unknown): AppRuntime {
  const sdkAppId = requestedSdkAppId(requested)
  if (sdkAppId === undefined) return rt.defaultApp
  const app = rt.apps.get(sdkAppId)
  if (!app) throw new HttpError('UNKNOWN_SDKAPPID', `SDKAppID ${sdkAppId} is not configured on this service`)
  return app
}

/** The per-address limit, counted in the rate-limit metric when it refuses. */
export function limitIp(svc: Service, ip: string): Promise<void> {
  const rl = svc.runtime.config.rateLimit
  return checkLimit(svc.store, 'ip', ip, rl.enabled ? rl.perIp : null, (scope) => svc.metrics.rateLimited.inc({ scope }))
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

/** The pipeline's audit context, with the service's kinds. */
export type AuditContext = IssuerAuditContext<AuditKind>

/** Records a refused or failed decision (audit line + denial metric) and returns the error to throw. */
export function recordFailure(svc: Service, ctx: AuditContext, e: unknown): unknown {
  const err = toHttpError(e)
  const code = err instanceof HttpError ? err.code : 'INTERNAL'
  const outcome: AuditOutcome = err instanceof HttpError && err.status < 500 ? 'denied' : 'error'
  svc.metrics.denied.inc({ reason: code, kind: ctx.kind })
  svc.audit.record({ ...ctx, outcome, reason: code })
  return err
}
