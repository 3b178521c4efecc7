/**
 * The issuing steps once the caller is known, the same for every adapter: the body, which app, the app's UserID
 * policy, the per-user limit, the lifetime (parsed, then bounded by the app's policy), (the PrivateMapKey policy),
 * sign, and one audit line for the decision either way. Who the caller is, the per-address limit and the HTTP answer
 * are the adapter's: the portable pipeline (pipeline.ts) and the Node service each authenticate in their own way and
 * hand the caller over.
 */
import { checkToolUserId, checkUserId, createSigner, parseExpiresIn, parsePrivileges, UserSigError, type UserIdPolicy } from 'usersig'
import type { AuditEvent, AuditKind, AuditSink } from './audit.js'
import { pmkBody, userSigBody } from './body.js'
import type { Identity } from './caller.js'
import type { AppConfig, ExpiresInPolicy, LimitRule } from './config/types.js'
import { ERROR_STATUS, HttpError, type ErrorCode } from './errors.js'
import { checkLimit, type LimitScope } from './limit.js'
import type { PmkPolicy, Room } from './policy.js'
import type { RateLimitStore } from './store.js'

/** A signed UserSig (times in unix seconds). */
export interface Issued {
  userSig: string
  issuedAt: number
  expiresAt: number
}

/** A signed PrivateMapKey with the privileges it grants (times in unix seconds). */
export interface IssuedPrivateMapKey {
  privateMapKey: string
  issuedAt: number
  expiresAt: number
  privileges: number
  privilegeNames: string[]
}

/**
 * The old name of IssuedPrivateMapKey, which carries the token in `privateMapKey` (no longer in `userSig`).
 * @deprecated use IssuedPrivateMapKey
 */
export type IssuedPmk = IssuedPrivateMapKey

/**
 * An app as the issuing steps use it: its policies and a signer. `hmacApp` makes one from an HMAC app's config; the
 * Node service also hands in legacy ECDSA apps. The lifetime a signer gets has been parsed (with the caller's
 * `allowUnusualLifetime`) and bounded by the app's policy already.
 */
export interface IssuingApp {
  readonly sdkAppId: number
  readonly name: string
  /** Fingerprint of the key (first 8 hex chars of SHA-256), safe to log and show. */
  readonly keyId: string
  readonly userIdPolicy: UserIdPolicy
  /** Issue for a caller whose userId has leading or trailing whitespace (or is only whitespace); refused otherwise. */
  readonly allowUnusualUserId: boolean
  /** The bounds of a UserSig's expiresIn. */
  readonly userSigExpiresIn: ExpiresInPolicy
  /** The bounds of a PrivateMapKey's expiresIn. */
  readonly privateMapKeyExpiresIn: ExpiresInPolicy
  issueUserSig(userId: string, expiresIn: number, now: number): Issued
  issuePrivateMapKey(userId: string, room: Room, privileges: number, expiresIn: number, now: number): IssuedPrivateMapKey
}

/** An HMAC app's signer, prepared once, as the issuing steps use it. */
export function hmacApp(c: AppConfig): IssuingApp {
  const signer = createSigner({ sdkAppId: c.sdkAppId, secretKey: c.secretKey, userIdPolicy: c.userIdPolicy })
  return {
    sdkAppId: c.sdkAppId,
    name: c.name,
    keyId: signer.keyId,
    userIdPolicy: c.userIdPolicy,
    allowUnusualUserId: c.allowUnusualUserId,
    userSigExpiresIn: c.userSigExpiresIn,
    privateMapKeyExpiresIn: c.privateMapKeyExpiresIn,
    issueUserSig(userId, expiresIn, now) {
      // The lifetime was judged when it was parsed and is within the app's policy: not judged again here.
      const r = signer.issueUserSig(userId, { expiresIn, now, allowUnusualLifetime: true })
      return { userSig: r.userSig, issuedAt: r.issuedAt, expiresAt: r.expiresAt }
    },
    issuePrivateMapKey(userId, room, privileges, expiresIn, now) {
      const r = signer.issuePrivateMapKey(userId, { ...room, privileges, expiresIn, now, allowUnusualLifetime: true })
      return { privateMapKey: r.privateMapKey, issuedAt: r.issuedAt, expiresAt: r.expiresAt, privileges: r.privileges, privilegeNames: r.privilegeNames }
    },
  }
}

/** When a client should fetch a new one: after 80% of the lifetime (a TRTC reconnect needs the sig still valid). */
export function refreshAt(issuedAt: number, expiresAt: number): number {
  return issuedAt + Math.floor((expiresAt - issuedAt) * 0.8)
}

/** Clamps a requested expiresIn to the app's bounds; no request means the default. */
export function clampExpiresIn(requested: number | undefined, p: ExpiresInPolicy): number {
  if (requested === undefined) return p.defaultExpiresIn
  return Math.min(p.maxExpiresIn, Math.max(p.minExpiresIn, requested))
}

/** Core input errors (bad room, bad privileges, bad lifetime …) as 400 answers with the core's code; anything else unchanged. */
export function toHttpError(e: unknown): unknown {
  if (e instanceof UserSigError) {
    const code = (e.code in ERROR_STATUS ? e.code : 'INVALID_REQUEST') as ErrorCode
    return new HttpError(code, e.hint ? `${e.message} (${e.hint})` : e.message, { cause: e })
  }
  return e
}

function core<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    throw toHttpError(e)
  }
}

/** A requested lifetime in seconds, bounded by the policy (undefined: the policy's default). */
function lifetime(expiresIn: number | string | undefined, allowUnusualLifetime: boolean | undefined, p: ExpiresInPolicy): number {
  if (expiresIn === undefined) return p.defaultExpiresIn
  return clampExpiresIn(core(() => parseExpiresIn(expiresIn, 'expiresIn', { allowUnusualLifetime })), p)
}

/** The answer body of POST /v1/usersig. */
export interface UserSigAnswer {
  sdkAppId: number
  userId: string
  userSig: string
  issuedAt: number
  expiresAt: number
  refreshAt: number
  serverTime: number
}

/** The answer body of POST /v1/private-map-key. */
export type PrivateMapKeyAnswer = UserSigAnswer & {
  privateMapKey: string
  privileges: number
  privilegeNames: string[]
} & Partial<{ roomId: number; strRoomId: string }>

/** One issuing request, as the adapter hands it over once its authenticator knows the caller. */
export interface IssueRequest {
  requestId: string
  /** The client's address, for the audit line. */
  clientIp: string
  /** The caller: the userId of every token issued comes from here, never from the body. */
  caller: Identity
  /**
   * The body as a JSON object, or throws the HttpError to answer with (bad JSON, a schema the adapter checked). Read
   * once the caller is in the audit context, so even a refused body is audited under the caller's name.
   */
  body(): Record<string, unknown>
}

/**
 * Who, from where and what, as far as known: every audit line of a decision starts with this. An adapter that audits
 * more kinds of decision (the Node service) widens `K`.
 */
export interface AuditContext<K extends string = AuditKind> {
  kind: K
  requestId: string
  clientIp: string
  sdkAppId?: number
  app?: string
  userId?: string
  auth?: string
  roles?: string[]
  roomId?: number
  strRoomId?: string
}

/** What the issuing steps read. An adapter that reloads its config builds a new Issuer. */
export interface IssuerSetup {
  apps: ReadonlyMap<number, IssuingApp>
  /** The app of a request that names no sdkAppId. */
  defaultSdkAppId: number
  policy: PmkPolicy
  /** The per-user limit (null: none, or rate limits off). */
  perUser: LimitRule | null
}

/** The long-lived parts the issuing steps use. */
export interface IssuerDeps {
  store: RateLimitStore
  /** Where the audit line of each decision goes; null for nowhere. */
  audit: AuditSink | null
  /** Clock in milliseconds. */
  now: () => number
  /** Told the scope of every request a limit refuses. */
  onLimited?: (scope: LimitScope) => void
}

/** The issuing steps for a caller someone has authenticated. */
export interface Issuer {
  readonly apps: ReadonlyMap<number, IssuingApp>
  /** A UserSig for the caller; throws the HttpError to answer with. Either way the decision is audited. */
  issueUserSig(r: IssueRequest): Promise<UserSigAnswer>
  /** A PrivateMapKey for the caller, within the PrivateMapKey policy; throws the HttpError to answer with (audited). */
  issuePrivateMapKey(r: IssueRequest): Promise<PrivateMapKeyAnswer>
  /** The audit line of a request refused before its caller was known (per-address limit, no credentials, a body too large). */
  recordFailure(ctx: AuditContext, e: unknown): void
}

/** Builds the issuing steps over the adapter's apps, policy, store and audit sink. */
export function createIssuer(setup: IssuerSetup, deps: IssuerDeps): Issuer {
  const { apps, policy, perUser } = setup
  const { store, audit, now: nowMs, onLimited } = deps

  function record(ctx: AuditContext, e: Omit<AuditEvent, 'time' | keyof AuditContext>): void {
    audit?.({ time: new Date(nowMs()).toISOString(), ...ctx, ...e })
  }

  function recordFailure(ctx: AuditContext, e: unknown): void {
    const err = toHttpError(e)
    const code = err instanceof HttpError ? err.code : 'INTERNAL'
    record(ctx, { outcome: err instanceof HttpError && err.status < 500 ? 'denied' : 'error', reason: code })
  }

  function pickApp(sdkAppId: number | undefined): IssuingApp {
    const app = apps.get(sdkAppId ?? setup.defaultSdkAppId)
    if (!app) throw new HttpError('UNKNOWN_SDKAPPID', `SDKAppID ${sdkAppId} is not configured on this service`)
    return app
  }

  /** The steps before signing, in order; fills the audit context as it learns. */
  async function admit<B extends { sdkAppId?: number; room?: Room }>(r: IssueRequest, ctx: AuditContext, parse: (o: Record<string, unknown>) => B) {
    const { caller } = r
    Object.assign(ctx, { userId: caller.userId, auth: caller.method, roles: caller.roles })
    const body = parse(r.body())
    if (body.room) Object.assign(ctx, body.room)
    const a = pickApp(body.sdkAppId)
    Object.assign(ctx, { sdkAppId: a.sdkAppId, app: a.name })
    try {
      checkUserId(caller.userId, a.userIdPolicy)
      // Then whitespace around it (issue 15 §3): refused only when the policy accepts the userId, so the message's
      // pointer to allowUnusualUserId is always one that would help.
      checkToolUserId(caller.userId, { allowUnusualUserId: a.allowUnusualUserId })
    } catch (e) {
      if (!(e instanceof UserSigError)) throw e
      // The core's whitespace message says where the whitespace is and never quotes the userId.
      throw new HttpError('USERID_NOT_ALLOWED', e.tencentCode === 70013
        ? `your ${e.message}: a client that logs in with the UserID trimmed is refused (70013); ask the operator to map identities to UserIDs without it, or to set the app's allowUnusualUserId if it is intended`
        : `your userId does not satisfy the app's "${a.userIdPolicy}" UserID policy; ask the operator to map identities to valid UserIDs`)
    }
    await checkLimit(store, 'user', `${a.sdkAppId}:${caller.userId}`, perUser, onLimited)
    return { a, body }
  }

  return {
    apps,
    recordFailure,

    async issueUserSig(r) {
      const ctx: AuditContext = { kind: 'usersig', requestId: r.requestId, clientIp: r.clientIp }
      try {
        const { a, body } = await admit(r, ctx, userSigBody)
        const expiresIn = lifetime(body.expiresIn, body.allowUnusualLifetime, a.userSigExpiresIn)
        const now = Math.floor(nowMs() / 1000)
        const s = core(() => a.issueUserSig(r.caller.userId, expiresIn, now))
        record(ctx, { outcome: 'issued', expiresAt: s.expiresAt, expiresIn, keyId: a.keyId })
        return {
          sdkAppId: a.sdkAppId, userId: r.caller.userId, userSig: s.userSig, issuedAt: s.issuedAt, expiresAt: s.expiresAt,
          refreshAt: refreshAt(s.issuedAt, s.expiresAt), serverTime: now,
        }
      } catch (e) {
        recordFailure(ctx, e)
        throw toHttpError(e)
      }
    },

    async issuePrivateMapKey(r) {
      const ctx: AuditContext = { kind: 'privateMapKey', requestId: r.requestId, clientIp: r.clientIp }
      try {
        const { a, body } = await admit(r, ctx, pmkBody)
        const room = body.room
        const requested = body.privileges === undefined ? null : core(() => parsePrivileges(body.privileges))
        const expiresIn = lifetime(body.expiresIn, body.allowUnusualLifetime, a.privateMapKeyExpiresIn)
        const decision = await policy.decide({ sdkAppId: a.sdkAppId, identity: r.caller, room, requested })
        const now = Math.floor(nowMs() / 1000)
        const s = core(() => a.issuePrivateMapKey(r.caller.userId, room, decision.privileges, expiresIn, now))
        record(ctx, { outcome: 'issued', privileges: s.privileges, expiresAt: s.expiresAt, expiresIn, keyId: a.keyId, decidedBy: decision.decidedBy })
        return {
          // userSig: the PrivateMapKey under its old name, kept for one release (deprecated).
          sdkAppId: a.sdkAppId, userId: r.caller.userId, privateMapKey: s.privateMapKey, userSig: s.privateMapKey, issuedAt: s.issuedAt, expiresAt: s.expiresAt,
          refreshAt: refreshAt(s.issuedAt, s.expiresAt), serverTime: now, privileges: s.privileges, privilegeNames: s.privilegeNames, ...room,
        }
      } catch (e) {
        recordFailure(ctx, e)
        throw toHttpError(e)
      }
    },
  }
}
