/**
 * Who may have which privileges in which room: rules from the config (all matching rules add up) or a webhook to the
 * business backend. The granted set is requested ∩ allowed (allowed alone when nothing is requested). With no rule and
 * no webhook, every PrivateMapKey is denied: secure by default.
 */
import { parsePrivileges } from 'usersig'
import { HttpError } from './errors.js'
import type { PmkRule, PolicyConfig, RoomPattern, WebhookConfig } from './config/types.js'
import type { Identity } from './caller.js'

/** The room a PrivateMapKey is asked for: a numeric `roomId` or a string `strRoomId`, as in the request body. */
export type Room = { roomId: number } | { strRoomId: string }

/** What a PrivateMapKey policy is asked: may this caller have these privileges in this room of this app? */
export interface PmkRequest {
  /** The app the PrivateMapKey is for. */
  sdkAppId: number
  /** The authenticated caller: its UserID and roles. */
  identity: Identity
  /** The room of the request. */
  room: Room
  /** Requested privilege bits, or null for "what I am allowed". */
  requested: number | null
}

/** A policy's yes: the privileges the PrivateMapKey carries. A policy says no by throwing an HttpError. */
export interface PmkGrant {
  /** Privilege bits (1..255) to sign into the PrivateMapKey: the requested ones that are allowed, or all allowed. */
  privileges: number
  /** Which rules (indexes) or "webhook" decided. */
  decidedBy: string
}

/**
 * Who may have which privileges in which room. `pmkPolicy(config)` builds one from rules or a webhook; pass your own
 * to `createIssuer` (`policy`) to decide in code, for example from your own database.
 */
export interface PmkPolicy {
  /**
   * Grants privileges (use `grant(allowed, requested, room, decidedBy)` to intersect them with the request), or throws
   * an HttpError: ROOM_NOT_ALLOWED or PRIVILEGES_DENIED to refuse, POLICY_UNAVAILABLE when the answer cannot be had.
   */
  decide(r: PmkRequest): Promise<PmkGrant>
}

/** The room as text, the way rules and the audit name it: the number's digits or the string room id. */
export function roomText(room: Room): string {
  return 'roomId' in room ? String(room.roomId) : room.strRoomId
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Glob to an anchored regex: `*` any run, `?` one character, `{userId}` the caller's userId (literally). */
function globRe(source: string, userId: string): RegExp {
  let re = ''
  for (const part of source.split(/(\{userId\}|\*|\?)/)) {
    if (part === '*') re += '.*'
    else if (part === '?') re += '.'
    else if (part === '{userId}') re += escapeRe(userId)
    else re += escapeRe(part)
  }
  return new RegExp(`^${re}$`, 's')
}

/** Whether a room pattern of a rule (exact, glob with `{userId}`, or regex) matches the room for this user. */
export function roomMatches(p: RoomPattern, room: string, userId: string): boolean {
  if (p.kind === 'exact') return p.value === room
  if (p.kind === 'regex') return p.regex.test(room)
  return globRe(p.source, userId).test(room)
}

function ruleMatches(rule: PmkRule, r: PmkRequest, room: string): boolean {
  if (rule.apps && !rule.apps.includes(r.sdkAppId)) return false
  if (rule.users && !rule.users.includes(r.identity.userId)) return false
  if (rule.roles && !rule.roles.some((x) => r.identity.roles.includes(x))) return false
  return rule.rooms.some((p) => roomMatches(p, room, r.identity.userId))
}

/** requested ∩ allowed, or a 403 that says which part was refused. */
export function grant(allowed: number, requested: number | null, room: string, decidedBy: string): PmkGrant {
  if (allowed === 0) throw new HttpError('ROOM_NOT_ALLOWED', `the policy gives this caller no privileges in room "${room}"`)
  if (requested === null) return { privileges: allowed, decidedBy }
  const privileges = requested & allowed
  if (privileges === 0) throw new HttpError('PRIVILEGES_DENIED', `none of the requested privileges are allowed in room "${room}" (allowed: ${allowed})`)
  return { privileges, decidedBy }
}

/** The PrivateMapKey policy from configured rules: the union of the privileges of every matching rule, granted as far as the request asks; no matching rule refuses the room. */
export function rulesPolicy(rules: PmkRule[]): PmkPolicy {
  return {
    async decide(r) {
      const room = roomText(r.room)
      let allowed = 0
      const matched: number[] = []
      for (const rule of rules) {
        if (ruleMatches(rule, r, room)) {
          allowed |= rule.privileges
          matched.push(rule.index)
        }
      }
      if (matched.length === 0) throw new HttpError('ROOM_NOT_ALLOWED', `no policy rule lets this caller into room "${room}"`)
      return grant(allowed, r.requested, room, `rules ${matched.join(',')}`)
    },
  }
}

/** The webhook's answer is read up to this many bytes: it is untrusted input too. */
const WEBHOOK_ANSWER_LIMIT = 16384

/** The PrivateMapKey policy that asks the deployer's webhook (over `fetch`, bounded in time and answer size). */
export function webhookPolicy(c: WebhookConfig, fetchImpl: typeof fetch): PmkPolicy {
  return {
    async decide(r) {
      const room = roomText(r.room)
      const body = { sdkAppId: r.sdkAppId, userId: r.identity.userId, roles: r.identity.roles, ...r.room, privileges: r.requested }
      let res: Response
      try {
        res = await fetchImpl(c.url, {
          method: 'POST',
          headers: { ...c.headers, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
          redirect: 'manual',
          signal: AbortSignal.timeout(c.timeoutMs),
        })
      } catch (e) {
        throw new HttpError('POLICY_UNAVAILABLE', 'the policy webhook did not answer', { cause: e })
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel()
        throw new HttpError('POLICY_UNAVAILABLE', `the policy webhook answered ${res.status}`)
      }
      let answer: unknown
      try {
        const text = await res.text()
        if (text.length > WEBHOOK_ANSWER_LIMIT) throw new RangeError('too long')
        answer = JSON.parse(text)
      } catch {
        throw new HttpError('POLICY_UNAVAILABLE', 'the policy webhook did not answer JSON')
      }
      if (typeof answer !== 'object' || answer === null || typeof (answer as { allow?: unknown }).allow !== 'boolean') {
        throw new HttpError('POLICY_UNAVAILABLE', 'the policy webhook answer has no boolean "allow"')
      }
      const a = answer as { allow: boolean; privileges?: unknown; reason?: unknown }
      if (!a.allow) {
        const reason = typeof a.reason === 'string' ? a.reason.replace(/[^\x20-\x7e]/g, '').slice(0, 200) : ''
        throw new HttpError('ROOM_NOT_ALLOWED', `the policy webhook denied room "${room}"${reason ? `: ${reason}` : ''}`)
      }
      let allowed: number
      if (a.privileges === undefined || a.privileges === null) {
        if (r.requested === null) throw new HttpError('POLICY_UNAVAILABLE', 'the policy webhook allowed but named no privileges, and none were requested')
        allowed = r.requested
      } else {
        try {
          allowed = parsePrivileges(a.privileges)
        } catch {
          throw new HttpError('POLICY_UNAVAILABLE', 'the policy webhook answered privileges that are not valid')
        }
      }
      return grant(allowed, r.requested, room, 'webhook')
    },
  }
}

/** No rules and no webhook: deny, with a reason that tells the operator what to configure. */
export function denyAllPolicy(): PmkPolicy {
  return {
    async decide() {
      throw new HttpError('ROOM_NOT_ALLOWED', 'no PrivateMapKey policy is configured (policy.privateMapKey.rules or .webhook)')
    },
  }
}

/** The PrivateMapKey policy a configuration asks for: its webhook, else its rules, else deny every request. */
export function pmkPolicy(c: PolicyConfig, fetchImpl: typeof fetch): PmkPolicy {
  const p = c.privateMapKey
  if (p.webhook) return webhookPolicy(p.webhook, fetchImpl)
  if (p.rules.length) return rulesPolicy(p.rules)
  return denyAllPolicy()
}
