/**
 * Who the caller is: a JWT (HS256 secret, a JWK Set given inline, or a JWKS URL fetched with `fetch`) or a function
 * the deployer supplies. The userId of every UserSig comes from here, never from a request body.
 *
 * Defaults that do not trust too much: a token must carry `exp`; `iat` may not lie in the future; with `maxTokenAge`
 * (default one day) `iat` must be that recent and `exp` no further than that from now. A key source that cannot be
 * reached is an outage (503 AUTH_UNAVAILABLE with Retry-After), never "bad token".
 */
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { HttpError } from './errors.js'
import { bearerToken, checkTokenLifetime, claim, jwtVerifyOptions, looksLikeJwt, mapJoseError, toRoles, userIdOf } from './jwt-claims.js'
import type { AuthConfig, JwtConfig } from './config/types.js'

/** The parts of a request an authenticator may read. */
export interface CallerRequest {
  /** The request's headers (a `Headers` object will do). */
  headers: { get(name: string): string | null }
  /** The client's address, as the adapter knows it ('' when unknown). */
  clientAddress: string
}

/**
 * What the deployer's own authenticator (`auth.caller` in the config) returns for a request that carries its
 * credential: the UserID every token is issued for, and the roles PrivateMapKey rules may name. Return null for a
 * request without that credential (the JWT, if configured, is tried next); throw an HttpError to refuse it.
 */
export interface Caller {
  /** The UserID the tokens are issued for; a non-empty string. */
  userId: string
  /** Roles that PrivateMapKey rules (`roles`) and the policy webhook see; [] for none. */
  roles: string[]
  /** How the caller was recognised: "jwt", or the name the deployer's function gives (default "custom"). */
  method?: string
}

/** The authenticated caller of a request, as the issuing steps and the PrivateMapKey policy see it. */
export interface Identity {
  /** The UserID every token of this request is issued for. */
  userId: string
  /** The caller's roles (from the JWT's roles claim or the deployer's function); [] for none. */
  roles: string[]
  /** How the caller was recognised: `jwt`, or the name the deployer's function gave (`custom`); audited as `auth`. */
  method: string
}

export interface CallerAuth {
  /** The caller, or a 401/503 HttpError. */
  authenticate(req: CallerRequest): Promise<Identity>
}

/** Seconds a client should wait after the identity provider failed to give keys. */
export const AUTH_RETRY_AFTER = 5

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearer(req: CallerRequest): string | undefined {
  return bearerToken(req.headers.get('authorization'))
}

/** Raised around a key-source failure so that it is told apart from a token jose refused. */
class KeySourceDown extends Error {
  override name = 'KeySourceDown'
}

function unavailable(message: string, cause: unknown): HttpError {
  return new HttpError('AUTH_UNAVAILABLE', message, { headers: { 'retry-after': String(AUTH_RETRY_AFTER) }, cause })
}

export interface JwtDeps {
  nowMs: () => number
  fetch: typeof fetch
  /** Told once when the key source goes down and once when it is back (never per request). */
  onOutage?: (down: boolean) => void
}

function keyGetter(c: JwtConfig, deps: JwtDeps): JWTVerifyGetKey {
  const k = c.keys
  if (k.kind === 'secret') {
    // Imported once per algorithm; an alg outside the list gets the first key and jose refuses the token for its alg.
    const raw = new TextEncoder().encode(k.secret)
    const keys = new Map(c.algorithms.map((alg) => [alg, crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: `SHA-${alg.slice(2)}` }, false, ['verify'])]))
    return (header) => keys.get(header.alg ?? '') ?? keys.get(c.algorithms[0]!)!
  }
  if (k.kind === 'jwks') return createLocalJWKSet(k.jwks as never)
  const remote = createRemoteJWKSet(new URL(k.url), {
    cacheMaxAge: c.jwksCacheMaxAge * 1000,
    cooldownDuration: c.jwksCooldownMs,
    timeoutDuration: c.jwksTimeoutMs,
    [customFetch]: (url, options) => deps.fetch(url, options),
  })
  let down = false
  // After a failure, requests are answered 503 at once for AUTH_RETRY_AFTER seconds instead of each waiting for the
  // identity provider again; the first request after that tries it.
  let downUntil = 0
  return async (header, token) => {
    if (deps.nowMs() < downUntil) throw new KeySourceDown('the JWKS was unavailable moments ago')
    try {
      const key = await remote(header, token)
      if (down) {
        down = false
        deps.onOutage?.(false)
      }
      return key
    } catch (e) {
      // A set that was fetched but has no key for this token is the token's problem; anything else is ours.
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e
      downUntil = deps.nowMs() + AUTH_RETRY_AFTER * 1000
      if (!down) {
        down = true
        deps.onOutage?.(true)
      }
      throw new KeySourceDown('the JWKS could not be obtained', { cause: e })
    }
  }
}

export function jwtAuthenticator(c: JwtConfig, deps: JwtDeps): (req: CallerRequest) => Promise<Identity | null> {
  const key = keyGetter(c, deps)
  return async (req) => {
    const token = bearer(req)
    // A bearer that is no JWT is not this authenticator's credential (as in the service): the caller is unauthenticated.
    if (token === undefined || !looksLikeJwt(token)) return null
    const nowMs = deps.nowMs()
    let payload: JWTPayload
    try {
      payload = (await jwtVerify(token, key, jwtVerifyOptions(c, nowMs))).payload
    } catch (e) {
      throw e instanceof KeySourceDown ? unavailable('the identity provider\'s keys (JWKS) could not be obtained; retry shortly', e.cause) : mapJoseError(e)
    }
    checkTokenLifetime(payload, nowMs / 1000, c)
    return { userId: userIdOf(payload, c.userIdClaim), roles: toRoles(claim(payload, c.rolesClaim)), method: 'jwt' }
  }
}

/** The configured authenticators: the deployer's function first (it may also read other headers), then the JWT. */
export function callerAuth(c: AuthConfig, deps: JwtDeps): CallerAuth {
  const jwt = c.jwt ? jwtAuthenticator(c.jwt, deps) : null
  const fn = c.caller
  return {
    async authenticate(req) {
      if (fn) {
        const r = await fn(req)
        if (r !== null && r !== undefined) {
          if (typeof r.userId !== 'string' || r.userId === '') throw new TypeError('auth.caller returned no userId string')
          return { userId: r.userId, roles: Array.isArray(r.roles) ? toRoles(r.roles) : [], method: r.method ?? 'custom' }
        }
      }
      if (jwt) {
        const id = await jwt(req)
        if (id) return id
      }
      throw new HttpError('UNAUTHENTICATED', jwt ? 'no credentials: send Authorization: Bearer <JWT>' : 'no credentials', {
        headers: { 'www-authenticate': 'Bearer realm="usersig"' },
      })
    },
  }
}
