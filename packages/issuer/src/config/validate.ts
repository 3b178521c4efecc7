/**
 * Turns a plain configuration object, in the service's config-file vocabulary (`apps`, `auth.jwt`,
 * `policy.privateMapKey`, `rateLimit`, `userSig`/`privateMapKey` expiresIn bounds, `server.cors` or `cors`), into an IssuerConfig:
 * the schema first (schema.ts, checked by check.ts), then the shared second pass (resolve.ts). Secrets come inline (read
 * by the caller from its platform) or as `xxxEnv`, the name of a variable in `env` (a Worker's bindings, `process.env`,
 * `Deno.env.toObject()`). There are no files to read here: `xxxFile` is refused with a pointer to `xxxEnv`.
 */
import { checkSchema, ConfigError, defaultOf, intOf } from './check.js'
import { resolveApps, resolveCors, resolveJwt, resolvePolicy, resolveRateLimit, type Env } from './resolve.js'
import { BodyLimitSchema, IssuerConfigSchema, type IssuerConfigInput } from './schema.js'
import type { AuthConfig, IssuerConfig } from './types.js'

export type { Env } from './resolve.js'

/** Checks `input` against the issuer's schema and resolves it; throws a ConfigError naming the first bad field. */
export function validateConfig(input: unknown, env: Env = {}): IssuerConfig {
  checkSchema(IssuerConfigSchema, input)
  const c = input as IssuerConfigInput
  const src = { env }
  const { apps, defaultSdkAppId, warnings } = resolveApps(c, src)
  if (c.cors !== undefined && c.server?.cors !== undefined) throw new ConfigError('cors', 'give either cors or server.cors, not both')
  const caller = c.auth?.caller ?? null
  const auth: AuthConfig = { jwt: c.auth?.jwt ? resolveJwt(c.auth.jwt, src) : null, caller: caller as AuthConfig['caller'] }
  if (!auth.jwt && !auth.caller) throw new ConfigError('auth', 'configure auth.jwt or auth.caller: without one, nobody can be issued a UserSig')
  return {
    apps,
    defaultSdkAppId,
    auth,
    policy: resolvePolicy(c.policy, src, apps.map((a) => a.sdkAppId)),
    rateLimit: resolveRateLimit(c.rateLimit),
    cors: resolveCors(c.cors ?? c.server?.cors, c.cors !== undefined ? 'cors' : 'server.cors'),
    bodyLimit: intOf(c.server?.bodyLimit ?? defaultOf<number>(BodyLimitSchema), 'server.bodyLimit', BodyLimitSchema),
    warnings,
  }
}
