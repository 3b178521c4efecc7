// Bun: UserSigs for the callers your identity provider vouches for. Secrets come from the environment, never a file.
import { createHandler } from '@usersig/edge'

const env = process.env

const handler = createHandler(
  {
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
    // One process: exact limits for this process (several processes count separately; see docs/deploy.md).
    rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
    cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
  },
  { env },
)

const server = Bun.serve({
  hostname: env.HOST ?? '127.0.0.1',
  port: Number(env.PORT ?? 3000),
  fetch: (request, srv) => handler(request, { clientAddress: srv.requestIP(request)?.address ?? '' }),
})
console.log(`usersig listening on ${server.url}`)
