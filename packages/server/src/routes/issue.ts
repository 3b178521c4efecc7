/**
 * POST /v1/usersig and POST /v1/private-map-key: for the authenticated caller, and only for them.
 * Order: per-address limits and authentication (the gate, before the body is read), the body, pick the app, check the
 * userId, per-user limit, (policy), sign, audit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { clampTtl, refreshAt, type Room } from '../apps.js'
import { parseExpiresIn, parsePrivileges } from '../core.js'
import { identityOf, userGate } from '../auth/guard.js'
import { HttpError } from '../errors.js'
import {
  auditContext,
  checkIdentityUserId,
  limitUser,
  pickApp,
  recordFailure,
  toHttpError,
  type AuditContext,
  type Service,
} from '../runtime.js'
import { errorSchema, issued, issuedPmk, pmkBody, schemaError, usersigBody } from './schemas.js'

interface UserSigBody {
  sdkAppId?: number
  expiresIn?: number | string
}

interface PmkBody extends UserSigBody {
  roomId?: number
  strRoomId?: string
  privileges?: number | string | string[]
}

export function parseTtl(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined
  try {
    return parseExpiresIn(v)
  } catch (e) {
    throw toHttpError(e)
  }
}

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema }

/**
 * The route options every route behind a credential shares: its gate runs before the body is parsed, and a body that
 * fails its schema is attached (`req.validationError`) for the handler to refuse once the caller is known.
 */
export function gated<K extends AuditContext['kind']>(auditKind: K, onRequest: (req: FastifyRequest) => Promise<void>) {
  return { config: { auditKind }, onRequest, attachValidation: true, schemaErrorFormatter: schemaError }
}

/** The attached body refusal, now that the caller is known (its audit line names them). */
export function checkBody(req: FastifyRequest): void {
  if (req.validationError) throw req.validationError
}

/**
 * The steps every issuing request takes before signing, after its gate: the body, which app, the app's UserID
 * policy, the per-user limit. Fills the audit context as it learns.
 */
async function admitCaller(svc: Service, req: FastifyRequest<{ Body: { sdkAppId?: number | undefined } }>, ctx: AuditContext, checkMore?: () => void) {
  const rt = svc.runtime
  const identity = identityOf(req)
  Object.assign(ctx, { userId: identity.userId, auth: identity.method, roles: identity.roles })
  checkBody(req)
  checkMore?.()
  const a = pickApp(rt, req.body.sdkAppId)
  Object.assign(ctx, { sdkAppId: a.sdkAppId, app: a.name })
  checkIdentityUserId(a, identity.userId)
  await limitUser(svc, a.sdkAppId, identity.userId)
  return { identity, a }
}

export function issueRoutes(app: FastifyInstance, svc: Service): void {
  const gate = userGate(svc)
  app.post<{ Body: UserSigBody }>('/v1/usersig', {
    ...gated('usersig', gate),
    schema: {
      body: usersigBody,
      response: { 200: issued, ...errors },
    },
  }, async (req, reply) => {
    const ctx = auditContext(req)
    try {
      const { identity, a } = await admitCaller(svc, req, ctx)
      const ttl = clampTtl(parseTtl(req.body.expiresIn), a.userSig)
      const now = Math.floor(svc.nowMs() / 1000)
      const r = a.issueUserSig(identity.userId, ttl, now)
      svc.metrics.issued.inc({ sdkAppId: String(a.sdkAppId), kind: 'usersig' })
      svc.audit.record({ ...ctx, outcome: 'issued', expiresAt: r.expiresAt, expiresIn: ttl, keyId: a.keyId })
      noStore(reply)
      return { sdkAppId: a.sdkAppId, userId: identity.userId, userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt, refreshAt: refreshAt(r.issuedAt, r.expiresAt), serverTime: now }
    } catch (e) {
      throw recordFailure(svc, ctx, e)
    }
  })

  app.post<{ Body: PmkBody }>('/v1/private-map-key', {
    ...gated('privateMapKey', gate),
    schema: {
      body: pmkBody,
      response: { 200: issuedPmk, ...errors },
    },
  }, async (req, reply) => {
    const rt = svc.runtime
    const ctx = auditContext(req)
    try {
      let room: Room = { roomId: 0 }
      const { identity, a } = await admitCaller(svc, req, ctx, () => Object.assign(ctx, (room = roomOf(req))))
      let requested: number | null = null
      if (req.body.privileges !== undefined) {
        try {
          requested = parsePrivileges(req.body.privileges)
        } catch (e) {
          throw toHttpError(e)
        }
      }
      const ttl = clampTtl(parseTtl(req.body.expiresIn), a.privateMapKey)
      const decision = await rt.policy.decide({ sdkAppId: a.sdkAppId, identity, room, requested })
      const now = Math.floor(svc.nowMs() / 1000)
      const r = a.issuePrivateMapKey(identity.userId, room, decision.privileges, ttl, now)
      svc.metrics.issued.inc({ sdkAppId: String(a.sdkAppId), kind: 'privateMapKey' })
      svc.audit.record({ ...ctx, outcome: 'issued', privileges: r.privileges, expiresAt: r.expiresAt, expiresIn: ttl, keyId: a.keyId, decidedBy: decision.decidedBy })
      noStore(reply)
      return {
        // userSig: the PrivateMapKey under its old name, kept for one release (deprecated).
        sdkAppId: a.sdkAppId, userId: identity.userId, privateMapKey: r.userSig, userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt,
        refreshAt: refreshAt(r.issuedAt, r.expiresAt), serverTime: now, privileges: r.privileges, privilegeNames: r.privilegeNames, ...room,
      }
    } catch (e) {
      throw recordFailure(svc, ctx, e)
    }
  })
}

function roomOf(req: FastifyRequest<{ Body: PmkBody }>): Room {
  const { roomId, strRoomId } = req.body
  if ((roomId === undefined) === (strRoomId === undefined)) {
    throw new HttpError('INVALID_REQUEST', 'give exactly one of roomId (number) or strRoomId (string)')
  }
  return roomId !== undefined ? { roomId } : { strRoomId: strRoomId! }
}

export function noStore(reply: { header(k: string, v: string): unknown }): void {
  reply.header('cache-control', 'no-store')
  reply.header('pragma', 'no-cache')
}
