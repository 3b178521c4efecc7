/**
 * Operator endpoints, each behind an API key with a scope:
 * POST /v1/admin/usersig (issue), POST /v1/verify and /v1/explain (verify), GET /v1/admin/apps and /v1/admin/audit (admin).
 * The key is checked by the route's gate (auth/guard.ts), before the body is read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { clampExpiresIn, refreshAt, type AppRuntime } from '../apps.js'
import { checkToolUserId, checkUserId, decodedToJson, decodeUserSig, explainUserSig, parseExpiresIn, repairUserSigInput, UserSigError, verifyUserSig } from '../core.js'
import { apiKeyGate, principalOf } from '../auth/guard.js'
import { HttpError } from '../errors.js'
import { auditContext, pickApp, recordFailure, toHttpError, type AuditContext, type Runtime, type Service } from '../runtime.js'
import { checkBody, gated, noStore } from './issue.js'
import { adminUsersigBody, auditQuery, errorSchema, explainBody, issued, verifyBody } from './schemas.js'

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema }

interface AdminUserSigBody {
  sdkAppId?: unknown
  userId: string
  expiresIn?: number | string
  /** The UserID's leading or trailing whitespace is intended (refused otherwise, like the CLI's --allow-unusual-user-id). */
  allowUnusualUserId?: boolean
  /** A lifetime that looks like milliseconds (86400000) is intended (refused otherwise, like --allow-unusual-lifetime). */
  allowUnusualLifetime?: boolean
}

interface VerifyBody {
  token: string
  userId: string
  sdkAppId?: unknown
  now?: number
  clockTolerance?: number
}

interface ExplainBody {
  token: string
  userId?: string
  sdkAppId?: unknown
  roomId?: number
  strRoomId?: string
  now?: number
}

/**
 * The app a token is to be checked against: the one asked for, else the one the token names (if configured), else the
 * default. The token is read as explain reads it, after paste repair (a pasted "Bearer …" names its app too).
 */
function appForToken(rt: Runtime, token: string, sdkAppId: unknown): AppRuntime {
  if (sdkAppId !== undefined) return pickApp(rt, sdkAppId)
  try {
    const named = rt.apps.get(decodeUserSig(repairUserSigInput(token).token).sdkAppId)
    if (named) return named
  } catch {
    // Not decodable: the verifier will say why.
  }
  return rt.defaultApp
}

/** The Admin body's expiresIn: the core's one duration grammar, with the body's allowUnusualLifetime. */
function adminExpiresIn(v: number | string | undefined, allowUnusualLifetime: boolean | undefined): number | undefined {
  if (v === undefined) return undefined
  try {
    return parseExpiresIn(v, 'expiresIn', { allowUnusualLifetime })
  } catch (e) {
    throw toHttpError(e)
  }
}

/** Operator calls (verify, explain), after the gate: the body, the token's app. */
function admitOperator(svc: Service, req: FastifyRequest, ctx: AuditContext, token: string, sdkAppId: unknown): AppRuntime {
  const rt = svc.runtime
  ctx.auth = `apikey:${principalOf(req).name}`
  checkBody(req)
  const a = appForToken(rt, token, sdkAppId)
  Object.assign(ctx, { sdkAppId: a.sdkAppId, app: a.name })
  return a
}

export function adminRoutes(app: FastifyInstance, svc: Service): void {
  const verifyGate = apiKeyGate(svc, 'verify')
  // Reads: only a failed key check is audited (kind "admin"), not the reads themselves nor their query errors.
  const adminGate = apiKeyGate(svc, 'admin', 'admin')
  app.post<{ Body: AdminUserSigBody }>('/v1/admin/usersig', {
    ...gated('adminUserSig', apiKeyGate(svc, 'issue')),
    schema: { body: adminUsersigBody, response: { 200: issued, ...errors } },
  }, async (req, reply) => {
    const rt = svc.runtime
    const ctx: AuditContext = { ...auditContext(req), auth: `apikey:${principalOf(req).name}` }
    try {
      checkBody(req)
      ctx.userId = req.body.userId
      const a = pickApp(rt, req.body.sdkAppId)
      Object.assign(ctx, { sdkAppId: a.sdkAppId, app: a.name })
      try {
        checkToolUserId(req.body.userId, { allowUnusualUserId: req.body.allowUnusualUserId })
      } catch (e) {
        throw toHttpError(e)
      }
      try {
        checkUserId(req.body.userId, a.userIdPolicy)
      } catch (e) {
        if (e instanceof UserSigError) throw new HttpError('INVALID_USERID', `userId does not satisfy the app's "${a.userIdPolicy}" UserID policy${e.hint ? ` (${e.hint})` : ''}`)
        throw e
      }
      // Still clamped to the app's policy when an unusual lifetime is allowed: the answer's expiresAt says what was issued.
      const expiresIn = clampExpiresIn(adminExpiresIn(req.body.expiresIn, req.body.allowUnusualLifetime), a.userSigExpiresIn)
      const now = Math.floor(svc.nowMs() / 1000)
      const r = a.issueUserSig(req.body.userId, expiresIn, now)
      svc.metrics.issued.inc({ sdkAppId: String(a.sdkAppId), kind: 'adminUserSig' })
      svc.audit.record({ ...ctx, outcome: 'issued', expiresAt: r.expiresAt, expiresIn, keyId: a.keyId })
      noStore(reply)
      return { sdkAppId: a.sdkAppId, userId: req.body.userId, userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt, refreshAt: refreshAt(r.issuedAt, r.expiresAt), serverTime: now }
    } catch (e) {
      throw recordFailure(svc, ctx, e)
    }
  })

  app.post<{ Body: VerifyBody }>('/v1/verify', {
    ...gated('verify', verifyGate),
    schema: { body: verifyBody, response: errors },
  }, async (req, reply) => {
    const ctx: AuditContext = auditContext(req)
    try {
      const a = admitOperator(svc, req, ctx, req.body.token, req.body.sdkAppId)
      ctx.userId = req.body.userId
      const now = req.body.now ?? Math.floor(svc.nowMs() / 1000)
      // The app's verifier holds its prepared key. A clock tolerance is fixed when a verifier is made, so a request
      // that asks for one (rare, bounded by the schema) gets a one-shot verification with that tolerance instead.
      const r = req.body.clockTolerance === undefined || req.body.clockTolerance === 0
        ? a.verifier.verify(req.body.token, { userId: req.body.userId, now })
        : verifyUserSig(req.body.token, { sdkAppId: a.sdkAppId, userId: req.body.userId, ...a.verifyKey, now, clockTolerance: req.body.clockTolerance })
      svc.audit.record({ ...ctx, outcome: r.ok ? 'valid' : 'invalid', ...(r.ok ? {} : { reason: r.reason }), keyId: a.keyId })
      noStore(reply)
      return { sdkAppId: a.sdkAppId, app: a.name, ...r, ...(r.payload !== undefined ? { payload: decodedToJson(r.payload) } : {}) }
    } catch (e) {
      throw recordFailure(svc, ctx, e)
    }
  })

  app.post<{ Body: ExplainBody }>('/v1/explain', {
    ...gated('explain', verifyGate),
    schema: { body: explainBody, response: errors },
  }, async (req, reply) => {
    const rt = svc.runtime
    const ctx = auditContext(req)
    try {
      const { token, sdkAppId, ...rest } = req.body
      const a = admitOperator(svc, req, ctx, token, sdkAppId)
      if (req.body.userId !== undefined) ctx.userId = req.body.userId
      if (rest.roomId !== undefined && rest.strRoomId !== undefined) throw new HttpError('INVALID_REQUEST', 'give at most one of roomId or strRoomId')
      // Only this app's key verifies, under its keyId (the same id /v1/verify answers with); the other apps' keys are
      // tried when it does not match, so the answer can say which app's key signed it instead (SIGNED_BY_OTHER_KEY, by
      // name, SDKAppID and keyId, never the key). The app itself is named in the answer's own fields.
      const own = 'secretKey' in a.verifyKey ? [{ id: a.keyId, secretKey: a.verifyKey.secretKey }] : []
      const otherKeys = [...rt.apps.values()].filter((x) => x !== a).flatMap((x) => ('secretKey' in x.verifyKey ? [{ id: `${x.name} (${x.sdkAppId}, key ${x.keyId})`, secretKey: x.verifyKey.secretKey }] : []))
      const r = explainUserSig(token, {
        ...rest,
        ...(sdkAppId !== undefined ? { sdkAppId: a.sdkAppId } : {}),
        repair: true,
        now: rest.now ?? Math.floor(svc.nowMs() / 1000),
        ...('publicKey' in a.verifyKey ? { publicKey: a.verifyKey.publicKey } : { secretKeys: own }),
        otherKeys,
      })
      svc.audit.record({ ...ctx, outcome: r.verdict === 'valid' ? 'valid' : 'invalid', ...(r.verdict === 'valid' ? {} : { reason: r.verdict }) })
      noStore(reply)
      return { sdkAppId: a.sdkAppId, app: a.name, ...r, ...(r.decoded !== undefined ? { decoded: decodedToJson(r.decoded) } : {}) }
    } catch (e) {
      throw recordFailure(svc, ctx, e)
    }
  })

  app.get('/v1/admin/apps', { onRequest: adminGate, schema: { response: errors } }, async () => {
    const rt = svc.runtime
    return {
      defaultSdkAppId: rt.defaultApp.sdkAppId,
      demo: rt.config.demo,
      authMethods: rt.auth.methods,
      apps: [...rt.apps.values()].map((a) => ({
        sdkAppId: a.sdkAppId,
        name: a.name,
        algorithm: a.algorithm,
        keyId: a.keyId,
        userIdPolicy: a.userIdPolicy,
        userSigExpiresIn: a.userSigExpiresIn,
        privateMapKeyExpiresIn: a.privateMapKeyExpiresIn,
        default: a === rt.defaultApp,
      })),
    }
  })

  app.get<{ Querystring: { limit?: string } }>('/v1/admin/audit', {
    onRequest: adminGate,
    schema: { querystring: auditQuery, response: errors },
  }, async (req) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit)
    return { events: svc.audit.recent(limit) }
  })
}
