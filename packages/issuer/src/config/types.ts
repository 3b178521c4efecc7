/**
 * The resolved configuration: what the second pass (resolve.ts) makes of a config that passed the schema (schema.ts):
 * secrets read, durations in seconds, SDKAppIDs normalised, defaults filled. Defined once, next to the schema; the
 * service's resolved config (packages/server/src/config/types.ts) is these plus its own sections.
 */
import type { UserIdPolicy } from 'usersig'
import type { Caller, CallerRequest } from '../caller.js'
import type { JwtClaimRules } from '../jwt-claims.js'

/** The bounds of one kind of token's `expiresIn`, in seconds. */
export interface ExpiresInPolicy {
  /** Seconds used when the request names no `expiresIn`. */
  defaultExpiresIn: number
  /** Requests below this are raised to it. */
  minExpiresIn: number
  /** Requests above this are lowered to it. */
  maxExpiresIn: number
}

/** What every app has, whatever its key. */
export interface AppBase {
  sdkAppId: number
  /** A label for logs, metrics and the console (default: the SDKAppID). */
  name: string
  userIdPolicy: UserIdPolicy
  /** Issue for a caller whose userId has leading or trailing whitespace (or is only whitespace); refused otherwise. */
  allowUnusualUserId: boolean
  /** The bounds of a UserSig's expiresIn (config `apps[].userSig`). */
  userSigExpiresIn: ExpiresInPolicy
  /** The bounds of a PrivateMapKey's expiresIn (config `apps[].privateMapKey`). */
  privateMapKeyExpiresIn: ExpiresInPolicy
}

/** An HMAC app. Legacy ECDSA apps stay on the Node service (their signer is not part of the portable pipeline). */
export interface AppConfig extends AppBase {
  algorithm: 'hmac'
  secretKey: string
  /** The key was allowed although it is not shaped like a console SDKSecretKey (64 hex digits). */
  allowUnusualKey: boolean
}

/** Where the JWT verification keys come from: exactly one. */
export type JwtKeySource =
  | { kind: 'secret'; secret: string }
  | { kind: 'jwks'; jwks: { keys: Record<string, unknown>[] } }
  | { kind: 'jwksUrl'; url: string }

/** The settings of `auth.jwt` other than the key source, as both adapters read them. */
export interface JwtRules extends JwtClaimRules {
  userIdClaim: string
  rolesClaim: string
  /** Seconds a fetched JWKS is used before it is fetched again. */
  jwksCacheMaxAge: number
  /** Minimum time between two fetches (an unknown `kid` triggers a refetch, at most this often). */
  jwksCooldownMs: number
  jwksTimeoutMs: number
}

/** `auth.jwt` resolved for the pipeline: the rules and exactly one key source. */
export interface JwtConfig extends JwtRules {
  keys: JwtKeySource
}

/** How the pipeline finds the caller: a JWT, a function the deployer supplies, or both. */
export interface AuthConfig {
  jwt: JwtConfig | null
  /** A function the deployer supplies: the caller of a request, null when it carries no credential. */
  caller: ((req: CallerRequest) => Promise<Caller | null> | Caller | null) | null
}

/** A compiled room pattern of a PrivateMapKey rule. */
export type RoomPattern =
  | { kind: 'exact'; value: string }
  | { kind: 'glob'; source: string }
  | { kind: 'regex'; regex: RegExp }

/** One PrivateMapKey rule: who (apps, roles, users) may have which privileges in which rooms. */
export interface PmkRule {
  /** Index in the config, for reasons and the audit line. */
  index: number
  apps: number[] | null
  roles: string[] | null
  users: string[] | null
  rooms: RoomPattern[]
  privileges: number
}

/** The PrivateMapKey policy webhook; `headers` already hold the values of `headersEnv`. */
export interface WebhookConfig {
  url: string
  timeoutMs: number
  headers: Record<string, string>
}

/** The PrivateMapKey policy: rules, or a webhook (not both); neither denies all. */
export interface PolicyConfig {
  privateMapKey: { rules: PmkRule[]; webhook: WebhookConfig | null }
}

/** A rate limit: `limit` requests per `window` seconds. */
export interface LimitRule {
  limit: number
  /** Window length in seconds. */
  window: number
}

/** The limits both adapters apply. */
export interface RateLimitConfig {
  enabled: boolean
  algorithm: 'fixed' | 'sliding'
  perUser: LimitRule | null
  perIp: LimitRule | null
}

/** The CORS settings: allowed origins (no wildcard) and whether credentials are allowed. */
export interface CorsConfig {
  origins: string[]
  credentials: boolean
}

/** The resolved configuration of the pipeline (what `validateConfig` returns). */
export interface IssuerConfig {
  apps: AppConfig[]
  defaultSdkAppId: number
  auth: AuthConfig
  policy: PolicyConfig
  rateLimit: RateLimitConfig
  cors: CorsConfig
  /** Largest request body, bytes. */
  bodyLimit: number
  /** Deprecated settings the config used, one sentence each naming the setting's new name: the adapter logs them at start. */
  warnings: string[]
}
