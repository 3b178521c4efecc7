/** The configured user authenticators, tried in a fixed order: demo, JWT, trusted header, forward auth. */
import { HttpError } from '../errors.js'
import type { AuthConfig } from '../config/types.js'
import { demoAuthenticator } from './demo.js'
import { forwardAuthenticator } from './forward.js'
import { trustedHeaderAuthenticator } from './header.js'
import { jwtAuthenticator } from './jwt.js'
import type { AuthRequest, Authenticator, Identity } from './types.js'

export type { AuthRequest, Identity, Authenticator } from './types.js'
export { apiKeyAuth, type ApiKeyAuth, type Principal } from './apikey.js'

export interface UserAuth {
  authenticate(req: AuthRequest): Promise<Identity>
  readonly methods: string[]
  close(): void
}

export function userAuth(c: AuthConfig, nowMs: () => number, fetchImpl: typeof fetch): UserAuth {
  const list: Authenticator[] = []
  if (c.demo) list.push(demoAuthenticator())
  if (c.jwt) list.push(jwtAuthenticator(c.jwt, nowMs))
  if (c.trustedHeader) list.push(trustedHeaderAuthenticator(c.trustedHeader))
  if (c.forwardAuth) list.push(forwardAuthenticator(c.forwardAuth, nowMs, fetchImpl))
  const hint = [
    c.demo ? 'Authorization: Bearer demo:<userId> (demo)' : null,
    c.jwt ? 'Authorization: Bearer <JWT>' : null,
    c.trustedHeader ? `${c.trustedHeader.header} via the trusted proxy` : null,
    c.forwardAuth ? `your session (${c.forwardAuth.forwardHeaders.join(' or ')})` : null,
  ].filter(Boolean)
  return {
    methods: list.map((a) => a.method),
    async authenticate(req) {
      for (const a of list) {
        const id = await a.authenticate(req)
        if (id) return id
      }
      throw new HttpError('UNAUTHENTICATED', hint.length ? `no credentials: send ${hint.join(', or ')}` : 'no user authenticator is configured (see auth in docs/service.md)', {
        headers: { 'www-authenticate': 'Bearer realm="usersig"' },
      })
    },
    close() {
      for (const a of list) a.close?.()
    },
  }
}
