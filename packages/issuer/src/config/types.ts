/** The validated issuing configuration: secrets already taken from the object or from the platform's environment. */
import type { UserIdPolicy } from 'usersig'
import type { Caller, CallerRequest } from '../caller.js'

export interface TtlPolicy {
  /** Seconds used when the request names no `expiresIn`. */
  defaultTtl: number
  /** Requests below this are raised to it. */
  minTtl: number
  /** Requests above this are lowered to it. */
  maxTtl: number
}

/** An HMAC app. Legacy ECDSA apps stay on the Node service (their signer is not part of the portable pipeline). */
export interface AppConfig {
  sdkAppId: number
  name: string
  secretKey: string
  userIdPolicy: UserIdPolicy
  userSig: TtlPolicy
  privateMapKey: TtlPolicy
}

/** Where the JWT verification keys come from: exactly one. */
export type JwtKeySource =
  | { kind: 'secret'; secret: string }
  | { kind: 'jwks'; jwks: { keys: Record<string, unknown>[] } }
  | { kind: 'jwksUrl'; url: string }

export interface JwtConfig {
  keys: JwtKeySource
  issuer: string[] | null
  audience: string[] | null
  algorithms: string[]
  userIdClaim: string
  rolesClaim: string
  clockTolerance: number
  /** Tokens must carry `exp` (default true). */
  requireExp: boolean
  /** Seconds: `iat` no older than this, and `exp` no further than this from now; null: no bound. */
  maxTokenAge: number | null
  jwksCacheMaxAge: number
  jwksCooldownMs: number
  jwksTimeoutMs: number
}

export interface AuthConfig {
  jwt: JwtConfig | null
  /** A function the deployer supplies: the caller of a request, null when it carries no credential. */
  caller: ((req: CallerRequest) => Promise<Caller | null> | Caller | null) | null
}

export type RoomPattern =
  | { kind: 'exact'; value: string }
  | { kind: 'glob'; source: string }
  | { kind: 'regex'; regex: RegExp }

export interface PmkRule {
  /** Index in the config, for reasons and the audit line. */
  index: number
  apps: number[] | null
  roles: string[] | null
  users: string[] | null
  rooms: RoomPattern[]
  privileges: number
}

export interface WebhookConfig {
  url: string
  timeoutMs: number
  headers: Record<string, string>
}

export interface PolicyConfig {
  privateMapKey: { rules: PmkRule[]; webhook: WebhookConfig | null }
}

export interface LimitRule {
  limit: number
  /** Window length in seconds. */
  window: number
}

export interface RateLimitConfig {
  enabled: boolean
  algorithm: 'fixed' | 'sliding'
  perUser: LimitRule | null
  perIp: LimitRule | null
}

export interface CorsConfig {
  origins: string[]
  credentials: boolean
}

export interface IssuerConfig {
  apps: AppConfig[]
  defaultSdkAppId: number
  auth: AuthConfig
  policy: PolicyConfig
  rateLimit: RateLimitConfig
  cors: CorsConfig
  /** Largest request body, bytes. */
  bodyLimit: number
}
