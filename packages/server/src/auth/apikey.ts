/**
 * API keys for admin and server-to-server calls. Only the SHA-256 of each key is kept; a presented key is hashed
 * and compared with every stored hash in constant time (no early exit, so timing says nothing about which matched).
 * Sent as `X-API-Key: <key>` or `Authorization: Bearer <key>`.
 * A valid key without the scope gets the very answer an unknown key gets (otherwise the answer tells a guesser which
 * keys exist); only the audit line says which key it was and that the scope was missing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { HttpError } from '../errors.js'
import type { ApiKeyConfig, ApiKeyScope } from '../config/types.js'
import { bearer, header, type AuthRequest } from './types.js'

export interface Principal {
  name: string
  scopes: ApiKeyScope[]
}

export interface ApiKeyAuth {
  /** The key's principal; throws 401 without a key, with an unknown one, or with one that lacks the scope. */
  require(req: AuthRequest, scope: ApiKeyScope): Principal
}

const NOT_RECOGNISED = 'the API key is not recognised for this endpoint'

export function apiKeyAuth(keys: ApiKeyConfig[]): ApiKeyAuth {
  return {
    require(req, scope) {
      const unknown = { headers: { 'www-authenticate': 'Bearer realm="usersig-admin", error="invalid_token"' } }
      const presented = header(req, 'x-api-key') ?? bearer(req)
      if (presented === undefined || presented === '') {
        throw new HttpError('UNAUTHENTICATED', 'this endpoint needs an API key: send X-API-Key: <key> or Authorization: Bearer <key>', {
          headers: { 'www-authenticate': 'Bearer realm="usersig-admin"' },
        })
      }
      const digest = createHash('sha256').update(presented, 'utf8').digest()
      let found: ApiKeyConfig | undefined
      for (const k of keys) {
        if (timingSafeEqual(digest, k.sha256) && found === undefined) found = k
      }
      if (!found) {
        throw new HttpError('UNAUTHENTICATED', NOT_RECOGNISED, unknown)
      }
      if (!found.scopes.includes('admin') && !found.scopes.includes(scope)) {
        throw new HttpError('UNAUTHENTICATED', NOT_RECOGNISED, { ...unknown, audit: { reason: `SCOPE_MISSING:${scope}`, auth: `apikey:${found.name}` } })
      }
      return { name: found.name, scopes: found.scopes }
    },
  }
}
