/**
 * The JWT checks both adapters make, whatever the key source: which claims are required and how old and how long-lived
 * a token may be, how a bearer token is found and read, and which answer each of jose's refusals becomes. The Node
 * service and the pipeline's authenticator both use these, so a token is judged the same everywhere.
 */
import { errors, type JWTPayload, type JWTVerifyOptions } from 'jose'
import { HttpError } from './errors.js'

/** The parts of a JWT configuration that decide whether a verified token is accepted. */
export interface JwtClaimRules {
  issuer: string[] | null
  audience: string[] | null
  algorithms: string[]
  clockTolerance: number
  /** Tokens must carry `exp`. */
  requireExp: boolean
  /** Seconds: `iat` no older than this, and `exp` no further than this from now; null: no bound. */
  maxTokenAge: number | null
}

/** Headers longer than this are not read as a bearer token at all. */
const AUTHORIZATION_MAX = 16384
/** A JWT longer than this is not looked at (no identity provider issues one). */
const JWT_MAX = 8192

/** The token of an `Authorization: Bearer <token>` header value, or undefined. */
export function bearerToken(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value.length > AUTHORIZATION_MAX) return undefined
  const m = /^Bearer[ ]+(\S+)[ \t]*$/i.exec(value)
  return m ? m[1] : undefined
}

/** Three base64url parts: a token that is no JWT is not the JWT authenticator's credential. */
export function looksLikeJwt(token: string): boolean {
  return token.length <= JWT_MAX && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)
}

/** Roles from a claim or header value: a list, or a space- or comma-separated string. */
export function toRoles(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '')
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean)
  return []
}

/** A claim by exact name, else by dotted path (`realm_access.roles`); own properties only. */
export function claim(payload: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name]
  let cur: unknown = payload
  for (const part of name.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

/** jose's options for these rules at `nowMs`: `exp` required, `maxTokenAge`, issuer and audience. */
export function jwtVerifyOptions(c: JwtClaimRules, nowMs: number): JWTVerifyOptions {
  return {
    algorithms: c.algorithms,
    clockTolerance: c.clockTolerance,
    currentDate: new Date(nowMs),
    ...(c.requireExp ? { requiredClaims: ['exp'] } : {}),
    ...(c.maxTokenAge !== null ? { maxTokenAge: c.maxTokenAge } : {}),
    ...(c.issuer ? { issuer: c.issuer } : {}),
    ...(c.audience ? { audience: c.audience } : {}),
  }
}

/** What jose leaves to us: `iat` in the future (also without maxTokenAge), `exp` further away than maxTokenAge. */
export function checkTokenLifetime(payload: JWTPayload, nowS: number, c: JwtClaimRules): void {
  if (typeof payload.iat === 'number' && payload.iat > nowS + c.clockTolerance) {
    throw new HttpError('TOKEN_INVALID', 'the token\'s "iat" claim is in the future')
  }
  if (c.maxTokenAge !== null && typeof payload.exp === 'number' && payload.exp > nowS + c.maxTokenAge + c.clockTolerance) {
    throw new HttpError('TOKEN_INVALID', `the token's "exp" claim is further away than the ${c.maxTokenAge}s accepted (auth.jwt.maxTokenAge)`)
  }
}

/** The userId a verified token names in `userIdClaim`, or a 401. */
export function userIdOf(payload: JWTPayload, userIdClaim: string): string {
  const userId = claim(payload, userIdClaim)
  if (typeof userId !== 'string' || userId === '') {
    throw new HttpError('TOKEN_INVALID', `the token has no string "${userIdClaim}" claim to take the userId from`)
  }
  return userId
}

/** jose's errors to answers. Messages name the failed check, never the token. */
export function mapJoseError(e: unknown): HttpError {
  if (e instanceof HttpError) return e
  if (e instanceof errors.JWTExpired) {
    if (e.claim === 'iat') return new HttpError('TOKEN_EXPIRED', 'the token is older than the maximum token age: get a new one from your identity provider')
    return new HttpError('TOKEN_EXPIRED', 'the token has expired: get a new one from your identity provider')
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    const why = e.reason === 'missing' ? 'is missing' : 'is not accepted'
    return new HttpError('TOKEN_INVALID', `the token's "${e.claim}" claim ${why}`)
  }
  if (e instanceof errors.JWKSTimeout) return new HttpError('AUTH_UNAVAILABLE', 'the JWKS endpoint did not answer in time')
  if (e instanceof errors.JWKSNoMatchingKey) return new HttpError('TOKEN_INVALID', 'no key in the JWKS matches the token (kid/alg)')
  if (e instanceof errors.JOSEAlgNotAllowed) return new HttpError('TOKEN_INVALID', 'the token\'s "alg" is not one of the configured algorithms')
  if (e instanceof errors.JWSSignatureVerificationFailed) return new HttpError('TOKEN_INVALID', 'the token\'s signature does not verify')
  if (e instanceof errors.JOSEError && e.code !== 'ERR_JWKS_INVALID') return new HttpError('TOKEN_INVALID', 'the token is not a valid JWT')
  // A JWKS that cannot be fetched or parsed is our problem, not the caller's.
  return new HttpError('AUTH_UNAVAILABLE', 'the JWKS could not be fetched or read', { cause: e })
}
