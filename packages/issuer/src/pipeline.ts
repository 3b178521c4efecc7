/**
 * The portable issuing pipeline: one config in the service's vocabulary, and functions that take a small view of an
 * HTTP request and return `{ status, headers, body }`. No Node built-ins and no HTTP server: the edge handler (a
 * Web-standard `fetch` handler) and the Node service are adapters over it.
 *
 * Order of an issuing request: per-address limit, who the caller is (401 before anything in the body is judged),
 * the body, which app, the app's UserID policy, per-user limit, (PrivateMapKey policy), sign, audit.
 */
import { checkUserId, createSigner, parseExpiresIn, parsePrivileges, UserSigError, type Signer } from 'usersig'
import { consoleAudit, type AuditEvent, type AuditKind, type AuditSink } from './audit.js'
import { jsonObject, pmkBody, userSigBody } from './body.js'
import { callerAuth, type CallerRequest, type Identity } from './caller.js'
import { validateConfig, type Env } from './config/validate.js'
import type { AppConfig, IssuerConfig, LimitRule, TtlPolicy } from './config/types.js'
import { ERROR_STATUS, errorBody, HttpError, type ErrorCode } from './errors.js'
import { pmkPolicy, type Room } from './policy.js'
import { memoryStore, type RateLimitStore } from './store.js'

/** What the pipeline reads of a request. The adapter has read the body already, within `bodyLimit`. */
export interface RequestView {
  method: string
  /** The path without the query string. */
  path: string
  headers: { get(name: string): string | null }
  /** The body as text ('' when there is none). */
  body: string
  /** The TCP peer, or what the platform vouches for (e.g. `cf-connecting-ip` on Cloudflare). */
  clientAddress: string
  /** Default: a random UUID. */
  requestId?: string
}

/** An HTTP answer: the body is JSON text, or '' for none. */
export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

export type LogLevel = 'info' | 'warn' | 'error'
/** Service events (never secrets): an identity-provider outage starting and ending, unexpected errors. */
export type LogSink = (level: LogLevel, message: string, fields: Record<string, string | number | boolean>) => void

/** A log sink that writes one JSON line per event to the console. */
export const consoleLog: LogSink = (level, message, fields) => {
  console[level === 'info' ? 'log' : level](JSON.stringify({ level, msg: message, ...fields }))
}

export interface PipelineOptions {
  /** Where `xxxEnv` secret references are looked up: a Worker's `env`, `process.env`, `Deno.env.toObject()`. */
  env?: Env
  /** Rate-limit counters. Default: in memory (per process; per isolate at the edge, so approximate there). */
  store?: RateLimitStore
  /** Audit events; false for none. Default: one JSON line per event on the console. */
  audit?: AuditSink | false
  /** Service events; false for none. Default: JSON lines on the console. */
  log?: LogSink | false
  /** For a JWKS URL and the policy webhook. Default: global fetch. */
  fetch?: typeof fetch
  /** Clock in milliseconds. Default: Date.now. */
  now?: () => number
}

export interface Pipeline {
  readonly config: IssuerConfig
  /** Routes a request: the two issuing routes, GET /healthz, OPTIONS preflight, else 404. */
  handle(req: RequestView): Promise<Answer>
  issueUserSig(req: RequestView): Promise<Answer>
  issuePrivateMapKey(req: RequestView): Promise<Answer>
  health(req: RequestView): Answer
  preflight(req: RequestView): Answer
  /**
   * An answer for a request the adapter refused before the pipeline could read it (a body over `config.bodyLimit`,
   * one that is not UTF-8 or could not be read): the same envelope and headers, and on an issuing route its audit line.
   */
  refuse(req: RequestView, code: ErrorCode, message: string): Answer
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-site',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
}

const ISSUING_ROUTES: Record<string, AuditKind | undefined> = { '/v1/usersig': 'usersig', '/v1/private-map-key': 'privateMapKey' }

interface AppRuntime {
  config: AppConfig
  signer: Signer
}

interface AuditContext {
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

/** When a client should fetch a new one: after 80% of the lifetime (a TRTC reconnect needs the sig still valid). */
export function refreshAt(issuedAt: number, expiresAt: number): number {
  return issuedAt + Math.floor((expiresAt - issuedAt) * 0.8)
}

/** Clamps a requested lifetime to the app's policy; no request means the default. */
export function clampTtl(requested: number | undefined, p: TtlPolicy): number {
  if (requested === undefined) return p.defaultTtl
  return Math.min(p.maxTtl, Math.max(p.minTtl, requested))
}

/** Core input errors (bad room, bad privileges …) become 400 answers with the core's code. */
function toHttpError(e: unknown): unknown {
  if (e instanceof UserSigError) {
    const code = (e.code in ERROR_STATUS ? e.code : 'INVALID_REQUEST') as ErrorCode
    return new HttpError(code, e.hint ? `${e.message} (${e.hint})` : e.message, { cause: e })
  }
  return e
}

function core<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    throw toHttpError(e)
  }
}

/**
 * Builds the pipeline from a config object in the service's vocabulary (validated here; a ConfigError names the
 * field) or one already validated by `validateConfig`.
 */
export function createPipeline(input: Record<string, unknown>, options: PipelineOptions = {}): Pipeline {
  const config = validateConfig(input, options.env ?? {})
  const nowMs = options.now ?? Date.now
  const fetchImpl = options.fetch ?? ((url, init) => fetch(url, init))
  const audit: AuditSink | null = options.audit === false ? null : (options.audit ?? consoleAudit)
  const log: LogSink | null = options.log === false ? null : (options.log ?? consoleLog)
  const store = options.store ?? memoryStore(config.rateLimit.algorithm, nowMs)
  const apps = new Map<number, AppRuntime>(
    config.apps.map((a) => [a.sdkAppId, { config: a, signer: createSigner({ sdkAppId: a.sdkAppId, secretKey: a.secretKey, userIdPolicy: a.userIdPolicy }) }]),
  )
  const auth = callerAuth(config.auth, {
    nowMs,
    fetch: fetchImpl,
    onOutage: (down) => log?.(down ? 'warn' : 'info', down ? 'identity provider keys (JWKS) unavailable: answering 503 AUTH_UNAVAILABLE' : 'identity provider keys (JWKS) available again', { outage: down }),
  })
  const policy = pmkPolicy(config.policy, fetchImpl)
  const cors = config.cors

  function corsHeaders(req: RequestView): Record<string, string> {
    if (cors.origins.length === 0) return {}
    const origin = req.headers.get('origin')
    const h: Record<string, string> = { vary: 'Origin' }
    if (origin === null || !cors.origins.includes(origin)) return h
    h['access-control-allow-origin'] = origin
    h['access-control-expose-headers'] = 'retry-after, x-request-id'
    if (cors.credentials) h['access-control-allow-credentials'] = 'true'
    return h
  }

  function answer(req: RequestView, requestId: string, status: number, body: unknown, extra: Record<string, string> = {}): Answer {
    const headers: Record<string, string> = { ...SECURITY_HEADERS, ...corsHeaders(req), 'x-request-id': requestId, ...extra }
    if (req.path.startsWith('/v1/') && headers['cache-control'] === undefined) headers['cache-control'] = 'no-store'
    if (body === null) return { status, headers, body: '' }
    headers['content-type'] = 'application/json; charset=utf-8'
    return { status, headers, body: JSON.stringify(body) }
  }

  function notFound(req: RequestView, requestId: string): Answer {
    return answer(req, requestId, 404, errorBody('NOT_FOUND', `no route ${req.method.slice(0, 16)} ${req.path.slice(0, 200)}`))
  }

  function failure(req: RequestView, requestId: string, e: unknown): Answer {
    const err = toHttpError(e)
    if (err instanceof HttpError) return answer(req, requestId, err.status, errorBody(err.code, err.message), err.headers)
    // Only the error's name: its message could carry anything.
    log?.('error', 'unexpected error', { requestId, name: err instanceof Error ? err.name : typeof err })
    return answer(req, requestId, 500, errorBody('INTERNAL', 'internal error; the request id is in the x-request-id header'))
  }

  function record(ctx: AuditContext, e: Omit<AuditEvent, 'time' | keyof AuditContext> & Partial<AuditContext>): void {
    audit?.({ time: new Date(nowMs()).toISOString(), ...ctx, ...e })
  }

  function recordFailure(ctx: AuditContext, e: unknown): void {
    const err = toHttpError(e)
    const code = err instanceof HttpError ? err.code : 'INTERNAL'
    record(ctx, { outcome: err instanceof HttpError && err.status < 500 ? 'denied' : 'error', reason: code })
  }

  async function limit(scope: 'user' | 'ip', key: string, rule: LimitRule | null): Promise<void> {
    if (!config.rateLimit.enabled || rule === null) return
    let r
    try {
      r = await store.hit(`${scope}:${key}`, rule.limit, rule.window)
    } catch (e) {
      throw new HttpError('STORE_UNAVAILABLE', 'the rate-limit store is unreachable; retry shortly', { headers: { 'retry-after': '1' }, cause: e })
    }
    if (!r.allowed) {
      throw new HttpError('RATE_LIMITED', `too many requests (${scope} limit: ${rule.limit} per ${rule.window}s); retry after ${r.retryAfter}s`, {
        headers: { 'retry-after': String(r.retryAfter) },
      })
    }
  }

  function pickApp(sdkAppId: number | undefined): AppRuntime {
    const app = apps.get(sdkAppId ?? config.defaultSdkAppId)
    if (!app) throw new HttpError('UNKNOWN_SDKAPPID', `SDKAppID ${sdkAppId} is not configured on this service`)
    return app
  }

  /** The steps before signing, in order; fills the audit context as it learns. */
  async function admit<B extends { sdkAppId?: number }>(req: RequestView, ctx: AuditContext, parse: (o: Record<string, unknown>) => B) {
    await limit('ip', req.clientAddress || 'unknown', config.rateLimit.perIp)
    const callerReq: CallerRequest = { headers: req.headers, clientAddress: req.clientAddress }
    const identity: Identity = await auth.authenticate(callerReq)
    Object.assign(ctx, { userId: identity.userId, auth: identity.method, roles: identity.roles })
    const body = parse(jsonObject(req.body, req.headers.get('content-type')))
    const a = pickApp(body.sdkAppId)
    Object.assign(ctx, { sdkAppId: a.config.sdkAppId, app: a.config.name })
    try {
      checkUserId(identity.userId, a.config.userIdPolicy)
    } catch (e) {
      if (!(e instanceof UserSigError)) throw e
      throw new HttpError('USERID_NOT_ALLOWED', `your userId does not satisfy the app's "${a.config.userIdPolicy}" UserID policy; ask the operator to map identities to valid UserIDs`)
    }
    await limit('user', `${a.config.sdkAppId}:${identity.userId}`, config.rateLimit.perUser)
    return { identity, a, body }
  }

  function start(req: RequestView, kind: AuditKind): AuditContext {
    return { kind, requestId: req.requestId ?? crypto.randomUUID(), clientIp: req.clientAddress }
  }

  const pipeline: Pipeline = {
    config,

    async issueUserSig(req) {
      const ctx = start(req, 'usersig')
      try {
        const { identity, a, body } = await admit(req, ctx, userSigBody)
        const ttl = clampTtl(body.expiresIn === undefined ? undefined : core(() => parseExpiresIn(body.expiresIn)), a.config.userSig)
        const now = Math.floor(nowMs() / 1000)
        const r = a.signer.issueUserSig(identity.userId, { expiresIn: ttl, now })
        record(ctx, { outcome: 'issued', expiresAt: r.expiresAt, expiresIn: ttl, keyId: a.signer.keyId })
        return answer(req, ctx.requestId, 200, {
          sdkAppId: a.config.sdkAppId, userId: identity.userId, userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt,
          refreshAt: refreshAt(r.issuedAt, r.expiresAt), serverTime: now,
        }, { pragma: 'no-cache' })
      } catch (e) {
        recordFailure(ctx, e)
        return failure(req, ctx.requestId, e)
      }
    },

    async issuePrivateMapKey(req) {
      const ctx = start(req, 'privateMapKey')
      try {
        const { identity, a, body } = await admit(req, ctx, pmkBody)
        const room: Room = body.room
        Object.assign(ctx, room)
        const requested = body.privileges === undefined ? null : core(() => parsePrivileges(body.privileges))
        const ttl = clampTtl(body.expiresIn === undefined ? undefined : core(() => parseExpiresIn(body.expiresIn)), a.config.privateMapKey)
        const decision = await policy.decide({ sdkAppId: a.config.sdkAppId, identity, room, requested })
        const now = Math.floor(nowMs() / 1000)
        const r = core(() => a.signer.issuePrivateMapKey(identity.userId, { ...room, privileges: decision.privileges, expiresIn: ttl, now }))
        record(ctx, { outcome: 'issued', privileges: r.privileges, expiresAt: r.expiresAt, expiresIn: ttl, keyId: a.signer.keyId, decidedBy: decision.decidedBy })
        return answer(req, ctx.requestId, 200, {
          // userSig: the PrivateMapKey under its old name, kept for one release (deprecated).
          sdkAppId: a.config.sdkAppId, userId: identity.userId, privateMapKey: r.userSig, userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt,
          refreshAt: refreshAt(r.issuedAt, r.expiresAt), serverTime: now, privileges: r.privileges, privilegeNames: r.privilegeNames, ...room,
        }, { pragma: 'no-cache' })
      } catch (e) {
        recordFailure(ctx, e)
        return failure(req, ctx.requestId, e)
      }
    },

    health(req) {
      return answer(req, req.requestId ?? crypto.randomUUID(), 200, { status: 'ok' })
    },

    preflight(req) {
      const requestId = req.requestId ?? crypto.randomUUID()
      // As the service: a preflight from an origin outside the list is a route that does not exist for it.
      if (req.headers.get('origin') === null || !cors.origins.includes(req.headers.get('origin')!)) return notFound(req, requestId)
      return answer(req, requestId, 204, null, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-max-age': '600',
      })
    },

    refuse(req, code, message) {
      const kind = req.method === 'POST' ? ISSUING_ROUTES[req.path] : undefined
      const e = new HttpError(code, message)
      if (kind === undefined) return failure(req, req.requestId ?? crypto.randomUUID(), e)
      const ctx = start(req, kind)
      recordFailure(ctx, e)
      return failure(req, ctx.requestId, e)
    },

    async handle(req) {
      if (req.method === 'OPTIONS' && cors.origins.length > 0) return pipeline.preflight(req)
      const kind = req.method === 'POST' ? ISSUING_ROUTES[req.path] : undefined
      if (kind === 'usersig') return pipeline.issueUserSig(req)
      if (kind === 'privateMapKey') return pipeline.issuePrivateMapKey(req)
      if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/healthz') return pipeline.health(req)
      return notFound(req, req.requestId ?? crypto.randomUUID())
    },

    close: () => store.close(),
  }
  return pipeline
}
