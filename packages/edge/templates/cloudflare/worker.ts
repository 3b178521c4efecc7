// Cloudflare Workers: UserSigs for the callers your identity provider vouches for.
// Secrets come from the Worker's bindings (`wrangler secret put`), never from wrangler.toml or this file.
// Rate limits are per isolate: approximate across Cloudflare's isolates and locations (docs/deploy.md).
import { configFromEnv, createHandler, type Handler } from '@usersig/edge'

// Settings are the service's environment variables (docs/deploy.md): USERSIG_SDKAPPID, USERSIG_SECRET_KEY (secret),
// USERSIG_JWT_SECRET (secret) or USERSIG_JWKS_URL + USERSIG_JWT_AUDIENCE, USERSIG_CORS_ORIGINS, USERSIG_RATE_LIMIT_PER_USER.
// Who may enter which room is decided here (policy.privateMapKey in docs/service.md):
const policy = { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*'], privileges: 'audience' }] } }

let handler: Handler | undefined

export default {
  fetch(request: Request, env: Record<string, string | undefined>): Promise<Response> {
    // Built on the first request, when the bindings are known; kept for the isolate's life.
    handler ??= createHandler({ ...configFromEnv(env), policy }, { env, clientAddressHeader: 'cf-connecting-ip' })
    return handler(request)
  },
}
