/**
 * JWT bearer tokens, verified with jose: HS256 (shared secret), or RS256/ES256 from a JWKS file or URL
 * (the remote set is cached and refetched when a token names an unknown `kid`, with a cooldown).
 * Verified tokens are remembered (bounded; `cacheTtl` seconds, default 60, never past `exp`; 0 turns it off) so a
 * client that sends the same token on every call costs one signature check a minute, and concurrent requests with
 * the same token share one check.
 * Failing to get the keys (status, body, network, timeout) is an outage (503 AUTH_UNAVAILABLE), never a bad token.
 * By default a token must carry `exp`, and with `maxTokenAge` (default one day) also `iat`: not older than that, not in
 * the future, and `exp` not further than that from now (each with the clock tolerance).
 */
import { readFileSync } from 'node:fs'
import { checkTokenLifetime, jwtVerifyOptions, mapJoseError, userIdOf } from '@usersig/issuer'
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import type { JwtConfig } from '../config/types.js'
import { outage, type OutageLog } from './outage.js'
import { bearer, claim, looksLikeJwt, toRoles, type AuthRequest, type Authenticator, type Identity } from './types.js'

const CACHE_MAX = 10000

export function jwtAuthenticator(c: JwtConfig, nowMs: () => number, log: OutageLog | null = null): Authenticator {
  let key: JWTVerifyGetKey
  if (c.secret !== null) {
    // The shared secret is imported once per algorithm: importing it on every check costs a third of the check.
    const raw = new TextEncoder().encode(c.secret)
    const keys = new Map(c.algorithms.map((alg) => [alg, crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: `SHA-${alg.slice(2)}` }, false, ['verify'])]))
    // An alg outside the list gets the first key; jose then refuses the token for its alg.
    key = (header) => keys.get(header.alg ?? '') ?? keys.get(c.algorithms[0]!)!
  } else if (c.jwksFile !== null) key = createLocalJWKSet(JSON.parse(readFileSync(c.jwksFile, 'utf8')))
  else {
    const remote = createRemoteJWKSet(new URL(c.jwksUrl!), {
      cacheMaxAge: c.jwksCacheMaxAge * 1000,
      cooldownDuration: c.jwksCooldownMs,
      timeoutDuration: c.jwksTimeoutMs,
    })
    const state = outage('JWKS endpoint', log, nowMs)
    key = async (header, token) => {
      // Only a call that has to fetch waits on a known outage; fresh cached keys keep serving.
      if (!remote.fresh) state.gate()
      try {
        const k = await remote(header, token)
        state.ok()
        return k
      } catch (e) {
        // The set was read but has no (single) key for this token: the token's problem.
        if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
          state.ok()
          throw e
        }
        throw state.failed(e instanceof errors.JWKSTimeout ? 'did not answer in time' : 'could not be fetched or read', e)
      }
    }
  }
  const cache = new Map<string, { identity: Identity; until: number }>()
  const pending = new Map<string, Promise<JWTPayload>>()

  async function verify(token: string): Promise<JWTPayload> {
    const now = nowMs()
    let payload: JWTPayload
    try {
      payload = (await jwtVerify(token, key, jwtVerifyOptions(c, now))).payload
    } catch (e) {
      throw mapJoseError(e)
    }
    checkTokenLifetime(payload, now / 1000, c)
    return payload
  }

  return {
    method: 'jwt',
    async authenticate(req: AuthRequest): Promise<Identity | null> {
      const token = bearer(req)
      if (token === undefined || !looksLikeJwt(token)) return null
      const now = nowMs()
      const hit = cache.get(token)
      if (hit && hit.until > now) return hit.identity
      let p = pending.get(token)
      if (!p) {
        p = verify(token).finally(() => pending.delete(token))
        pending.set(token, p)
      }
      const payload = await p
      const identity: Identity = { userId: userIdOf(payload, c.userIdClaim), roles: toRoles(claim(payload, c.rolesClaim)), method: 'jwt' }
      const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity
      if (c.cacheTtl > 0) {
        if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string)
        cache.set(token, { identity, until: Math.min(exp, now + c.cacheTtl * 1000) })
      }
      return identity
    },
    close() {
      cache.clear()
    },
  }
}

