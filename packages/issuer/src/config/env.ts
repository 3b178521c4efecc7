/**
 * A config object from the service's environment variables (the table in docs/service.md), so one set of variables
 * configures the Node service and every edge template alike. Secrets are passed by name (`secretKeyEnv`), never
 * copied into the object: `validateConfig` reads them from the same environment.
 */
import { ConfigError } from './check.js'
import type { Env } from './validate.js'

/** The variables read here, in the service's spelling. */
export const EDGE_ENV_VARS = [
  'USERSIG_SDKAPPID', 'USERSIG_SECRET_KEY', 'USERSIG_USERID_POLICY',
  'USERSIG_JWT_SECRET', 'USERSIG_JWKS_URL', 'USERSIG_JWT_ISSUER', 'USERSIG_JWT_AUDIENCE', 'USERSIG_JWT_ALGORITHMS',
  'USERSIG_JWT_USERID_CLAIM', 'USERSIG_JWT_ROLES_CLAIM',
  'USERSIG_RATE_LIMIT_PER_USER', 'USERSIG_RATE_LIMIT_PER_IP', 'USERSIG_CORS_ORIGINS', 'USERSIG_BODY_LIMIT',
] as const

function has(env: Env, name: string): boolean {
  return typeof env[name] === 'string' && env[name] !== ''
}

function limit(v: string): string | false {
  return v === 'false' ? false : v
}

export function configFromEnv(env: Env): Record<string, unknown> {
  const c: Record<string, unknown> = {}
  if (has(env, 'USERSIG_SDKAPPID')) {
    c['apps'] = [{
      sdkAppId: env['USERSIG_SDKAPPID'],
      secretKeyEnv: 'USERSIG_SECRET_KEY',
      ...(has(env, 'USERSIG_USERID_POLICY') ? { userIdPolicy: env['USERSIG_USERID_POLICY'] } : {}),
    }]
  }
  const jwt: Record<string, unknown> = {}
  if (has(env, 'USERSIG_JWT_SECRET')) jwt['secretEnv'] = 'USERSIG_JWT_SECRET'
  if (has(env, 'USERSIG_JWKS_URL')) jwt['jwksUrl'] = env['USERSIG_JWKS_URL']
  const more = { issuer: 'USERSIG_JWT_ISSUER', audience: 'USERSIG_JWT_AUDIENCE', algorithms: 'USERSIG_JWT_ALGORITHMS', userIdClaim: 'USERSIG_JWT_USERID_CLAIM', rolesClaim: 'USERSIG_JWT_ROLES_CLAIM' }
  if (Object.keys(jwt).length) for (const [k, name] of Object.entries(more)) if (has(env, name)) jwt[k] = env[name]
  if (Object.keys(jwt).length) c['auth'] = { jwt }
  const rl: Record<string, unknown> = {}
  if (has(env, 'USERSIG_RATE_LIMIT_PER_USER')) rl['perUser'] = limit(env['USERSIG_RATE_LIMIT_PER_USER']!)
  if (has(env, 'USERSIG_RATE_LIMIT_PER_IP')) rl['perIp'] = limit(env['USERSIG_RATE_LIMIT_PER_IP']!)
  if (Object.keys(rl).length) c['rateLimit'] = rl
  const server: Record<string, unknown> = {}
  if (has(env, 'USERSIG_CORS_ORIGINS')) server['cors'] = { origins: env['USERSIG_CORS_ORIGINS'] }
  if (has(env, 'USERSIG_BODY_LIMIT')) {
    if (!/^\d{1,8}$/.test(env['USERSIG_BODY_LIMIT']!)) throw new ConfigError('USERSIG_BODY_LIMIT (environment)', 'must be a number of bytes')
    server['bodyLimit'] = Number(env['USERSIG_BODY_LIMIT'])
  }
  if (Object.keys(server).length) c['server'] = server
  return c
}
