// Cloudflare Workers: UserSigs for the callers your identity provider vouches for.
// Secrets come from the Worker's bindings (`wrangler secret put`), never from wrangler.toml or this file.
import { createHandler, type Handler } from '@usersig/edge'

type Env = Record<string, string | undefined>

function config(env: Env) {
  return {
    apps: [{ sdkAppId: env.USERSIG_SDKAPPID, secretKeyEnv: 'USERSIG_SECRET_KEY' }],
    // Or your identity provider's keys: { jwksUrl: 'https://idp.example.com/.well-known/jwks.json', audience: 'your-api' }
    auth: { jwt: { secretEnv: 'USERSIG_JWT_SECRET' } },
    policy: {
      privateMapKey: {
        rules: [
          { rooms: ['team-{userId}'], privileges: 'all' },
          { rooms: ['lobby-*'], privileges: 'audience' },
        ],
      },
    },
    // Per isolate: approximate across Cloudflare's isolates and locations (see docs/deploy.md).
    rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
    cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
  }
}

let handler: Handler | undefined

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Built on the first request, when the bindings are known; kept for the isolate's life.
    handler ??= createHandler(config(env), { env, clientAddressHeader: 'cf-connecting-ip' })
    return handler(request)
  },
}
