/**
 * Forward auth (like nginx `auth_request`): ask the business's own endpoint who the caller is, forwarding the
 * caller's Cookie / Authorization. 2xx with a userId is an identity; 401/403 is "not signed in"; anything else
 * (timeout, 5xx, not JSON) is an outage: 503 with Retry-After, logged once per outage (auth/outage.ts), never a guess. Answers are cached briefly, keyed by a hash of the forwarded headers,
 * and concurrent identical lookups share one call.
 */
import { createHash } from 'node:crypto'
import { HttpError } from '../errors.js'
import type { ForwardAuthConfig } from '../config/types.js'
import { outage, type OutageLog } from './outage.js'
import { claim, header, toRoles, type AuthRequest, type Authenticator, type Identity } from './types.js'

type Answer = { identity: Identity } | { denied: true }

export function forwardAuthenticator(c: ForwardAuthConfig, nowMs: () => number, fetchImpl: typeof fetch, log: OutageLog | null = null): Authenticator {
  const cache = new Map<string, { answer: Answer; until: number }>()
  const pending = new Map<string, Promise<Answer>>()
  const state = outage('forward-auth endpoint', log, nowMs)

  async function ask(forwarded: Record<string, string>): Promise<Answer> {
    const answer = await askOnce(forwarded)
    state.ok()
    return answer
  }

  // No gate here: whether this endpoint fails may depend on the forwarded cookie, so one caller's failure must not
  // refuse the others.
  async function askOnce(forwarded: Record<string, string>): Promise<Answer> {
    let res: Response
    try {
      res = await fetchImpl(c.url, { method: c.method, headers: { ...forwarded, accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(c.timeoutMs) })
    } catch (e) {
      throw state.failed('did not answer', e)
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel()
      return { denied: true }
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel()
      throw state.failed(`answered ${res.status}`)
    }
    let userId: unknown
    let roles: unknown
    if (c.userIdHeader) {
      userId = res.headers.get(c.userIdHeader) ?? undefined
      await res.body?.cancel()
    } else {
      let body: unknown
      try {
        body = await res.json()
      } catch {
        throw state.failed('did not answer JSON')
      }
      if (typeof body === 'object' && body !== null) {
        userId = claim(body as Record<string, unknown>, c.userIdField)
        roles = claim(body as Record<string, unknown>, c.rolesField)
      }
    }
    if (typeof userId !== 'string' || userId === '') throw state.failed(`answered without a string "${c.userIdHeader ?? c.userIdField}"`)
    return { identity: { userId, roles: toRoles(roles), method: 'forward' } }
  }

  return {
    method: 'forward',
    async authenticate(req: AuthRequest): Promise<Identity | null> {
      const forwarded: Record<string, string> = {}
      for (const h of c.forwardHeaders) {
        const v = header(req, h)
        if (v !== undefined && v !== '') forwarded[h] = v
      }
      if (Object.keys(forwarded).length === 0) return null
      const key = createHash('sha256').update(JSON.stringify(forwarded)).digest('base64')
      const now = nowMs()
      const cached = cache.get(key)
      let answer = cached && cached.until > now ? cached.answer : undefined
      if (!answer) {
        let p = pending.get(key)
        if (!p) {
          p = ask(forwarded).finally(() => pending.delete(key))
          pending.set(key, p)
        }
        answer = await p
        if (c.cacheTtl > 0 && c.cacheSize > 0) {
          if (cache.size >= c.cacheSize) cache.delete(cache.keys().next().value as string)
          cache.set(key, { answer, until: nowMs() + c.cacheTtl * 1000 })
        }
      }
      if ('denied' in answer) throw new HttpError('UNAUTHENTICATED', 'the forward-auth endpoint did not recognise the caller')
      return answer.identity
    },
    close() {
      cache.clear()
    },
  }
}
