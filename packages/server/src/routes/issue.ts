/**
 * POST /v1/usersig and POST /v1/private-map-key: for the authenticated caller, and only for them.
 * The service's own part: per-address limits and authentication (the gate, before the body is read), the body's
 * schema. Then the caller and the body go to the issuing pipeline's steps (@usersig/issuer, the same code the edge
 * handler runs): which app, the app's UserID policy, per-user limit, lifetime, (policy), sign, audit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { IssueRequest } from '@usersig/issuer'
import { identityOf, userGate } from '../auth/guard.js'
import type { AuditContext, Service } from '../runtime.js'
import { errorSchema, issued, issuedPmk, pmkBody, schemaError, usersigBody, type ObjectSchema } from './schemas.js'

const errors: Record<number, ObjectSchema> = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema }

/** Route options of a route behind a credential (see `gated`). */
export interface GatedRoute<K extends AuditContext['kind']> {
  config: { auditKind: K }
  onRequest: (req: FastifyRequest) => Promise<void>
  attachValidation: true
  schemaErrorFormatter: typeof schemaError
}

/**
 * The route options every route behind a credential shares: its gate runs before the body is parsed, and a body that
 * fails its schema is attached (`req.validationError`) for the handler to refuse once the caller is known.
 */
export function gated<K extends AuditContext['kind']>(auditKind: K, onRequest: (req: FastifyRequest) => Promise<void>): GatedRoute<K> {
  return { config: { auditKind }, onRequest, attachValidation: true, schemaErrorFormatter: schemaError }
}

/** The attached body refusal, now that the caller is known (its audit line names them). */
export function checkBody(req: FastifyRequest): void {
  if (req.validationError) throw req.validationError
}

/** The caller the gate authenticated and the body (its schema refusal thrown once the caller is known), for the issuer. */
function issueRequest(req: FastifyRequest): IssueRequest {
  return {
    requestId: req.id,
    clientIp: req.ip,
    caller: identityOf(req),
    body: () => {
      checkBody(req)
      return req.body as Record<string, unknown>
    },
  }
}

/** Registers POST /v1/usersig and POST /v1/private-map-key. */
export function issueRoutes(app: FastifyInstance, svc: Service): void {
  const gate = userGate(svc)
  app.post('/v1/usersig', {
    ...gated('usersig', gate),
    schema: {
      body: usersigBody,
      response: { 200: issued, ...errors },
    },
  }, async (req, reply) => {
    const answer = await svc.runtime.issuer.issueUserSig(issueRequest(req))
    noStore(reply)
    return answer
  })

  app.post('/v1/private-map-key', {
    ...gated('privateMapKey', gate),
    schema: {
      body: pmkBody,
      response: { 200: issuedPmk, ...errors },
    },
  }, async (req, reply) => {
    const answer = await svc.runtime.issuer.issuePrivateMapKey(issueRequest(req))
    noStore(reply)
    return answer
  })
}

/** Tells every cache to keep no copy of an answer that carries a token. */
export function noStore(reply: { header(k: string, v: string): unknown }): void {
  reply.header('cache-control', 'no-store')
  reply.header('pragma', 'no-cache')
}
