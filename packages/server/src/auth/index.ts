/** The configured user authenticators, tried in a fixed order: demo, JWT, trusted header, forward auth. */
import { HttpError } from '../errors.js'
import type { AuthConfig, ServiceConfig } from '../config/types.js'
import { demoAuthenticator } from './demo.js'
import { forwardAuthenticator } from './forward.js'
import { trustedHeaderAuthenticator } from './header.js'
import { jwtAuthenticator } from './jwt.js'
import type { OutageLog } from './outage.js'
import type { AuthRequest, Authenticator, Identity } from './types.js'

export type { AuthRequest, Identity, Authenticator } from './types.js'
export { apiKeyAuth, type ApiKeyAuth, type Principal } from './apikey.js'

/** Settings that make the service trust more than it should, each as one loud line for the startup log. */
export function trustWarnings(c: ServiceConfig): string[] {
  const out: string[] = []
  if (c.server.trustProxy === true) {
    out.push('SECURITY: server.trustProxy is true: every client chooses its own address (X-Forwarded-For) for the rate limits, the failed-credential limit and the audit log; list your proxies\' addresses instead')
  }
  if (c.auth.jwt && !c.auth.jwt.requireExp) out.push('SECURITY: auth.jwt.requireExp is false: a JWT without "exp" is accepted for ever')
  if (c.auth.jwt && c.auth.jwt.maxTokenAge === null) out.push('SECURITY: auth.jwt.maxTokenAge is off: a JWT is accepted however long ago it was issued and however far away its "exp" is')
  if (c.rateLimit.enabled && c.rateLimit.authFailures === null) out.push('SECURITY: rateLimit.authFailures is off: failed credential checks are not limited per address')
  return out
}

export interface UserAuth {
  authenticate(req: AuthRequest): Promise<Identity>
  readonly methods: string[]
  close(): void
}

/** `log` receives one line when an identity source (JWKS URL, forward auth) goes down and one when it is back. */
export function userAuth(c: AuthConfig, nowMs: () => number, fetchImpl: typeof fetch, log: OutageLog | null = null): UserAuth {
  const list: Authenticator[] = []
  if (c.demo) list.push(demoAuthenticator())
  if (c.jwt) list.push(jwtAuthenticator(c.jwt, nowMs, log))
  if (c.trustedHeader) list.push(trustedHeaderAuthenticator(c.trustedHeader))
  if (c.forwardAuth) list.push(forwardAuthenticator(c.forwardAuth, nowMs, fetchImpl, log))
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
