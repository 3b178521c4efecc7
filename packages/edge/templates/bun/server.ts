// Bun: UserSigs for the callers your identity provider vouches for. Secrets come from the environment, never a file.
// Rate limits are per process: exact for one process, counted separately by several (docs/deploy.md).
import { configFromEnv, createHandler } from '@usersig/edge'

// Settings are the service's environment variables (docs/deploy.md): USERSIG_SDKAPPID, USERSIG_SECRET_KEY (secret),
// USERSIG_JWT_SECRET (secret) or USERSIG_JWKS_URL + USERSIG_JWT_AUDIENCE, USERSIG_CORS_ORIGINS, USERSIG_RATE_LIMIT_PER_USER.
// Who may enter which room is decided here (policy.privateMapKey in docs/service.md):
const policy = { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*'], privileges: 'audience' }] } }

const env = process.env
const handler = createHandler({ ...configFromEnv(env), policy }, { env })

const server = Bun.serve({
  hostname: env.HOST ?? '127.0.0.1',
  port: Number(env.PORT ?? 3000),
  fetch: (request, srv) => handler(request, { clientAddress: srv.requestIP(request)?.address ?? '' }),
})
console.log(`usersig listening on ${server.url}`)
