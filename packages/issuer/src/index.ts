/**
 * @usersig/issuer: the portable UserSig issuing pipeline, with no Node built-ins. Adapters: `@usersig/edge` (a
 * Web-standard fetch handler for Workers, Deno, Bun, Vercel, Lambda, SCF, node:http) and the Node service.
 */
export { createPipeline, consoleLog, type Pipeline, type PipelineOptions, type RequestView, type Answer, type LogSink, type LogLevel } from './pipeline.js'
export { validateConfig, type Env } from './config/validate.js'
export { configFromEnv, applyEnv, envWarnings, schemaHas, EDGE_ENV_VARS, ENV_DEPRECATED, ENV_FIELDS, ENV_SPECIAL, ENV_VARS, type ApplyEnvOptions, type EnvKind } from './config/env.js'
export { requestedSdkAppId } from './body.js'
export { ConfigError, checkSchema, defaultOf, didYouMean, isLoopbackHost, isObj, join, boolOf, intOf, listOf, seconds, optSeconds, url, headerName, type Obj } from './config/check.js'
export { secret, fromEnv, hint, resolveApps, resolveCors, resolveJwt, resolveLimit, resolvePolicy, resolveRateLimit, type SecretSource, type EcdsaResolver } from './config/resolve.js'
export * from './config/schema.js'
export type * from './config/types.js'
export { HttpError, ERROR_STATUS, errorBody, type ErrorCode, type ErrorBody, type HttpErrorOptions } from './errors.js'
export {
  createIssuer,
  hmacApp,
  clampExpiresIn,
  refreshAt,
  toHttpError,
  type Issuer,
  type IssuerSetup,
  type IssuerDeps,
  type IssueRequest,
  type IssuingApp,
  type Issued,
  type IssuedPrivateMapKey,
  type IssuedPmk,
  type UserSigAnswer,
  type PrivateMapKeyAnswer,
  type AuditContext,
} from './issuer.js'
export { checkLimit, type LimitScope } from './limit.js'
export { memoryStore, failClosed, slidingDecision, type RateLimitStore, type HitResult, type StoreHealth, type Algorithm } from './store.js'
export { consoleAudit, type AuditEvent, type AuditKind, type AuditOutcome, type AuditSink } from './audit.js'
export { AUTH_RETRY_AFTER, type Caller, type CallerRequest, type Identity } from './caller.js'
export { pmkPolicy, rulesPolicy, webhookPolicy, denyAllPolicy, grant, roomMatches, roomText, type Room, type PmkPolicy, type PmkRequest, type PmkGrant } from './policy.js'
export { bearerToken, checkTokenLifetime, claim, jwtVerifyOptions, looksLikeJwt, mapJoseError, toRoles, userIdOf, type JwtClaimRules } from './jwt-claims.js'
