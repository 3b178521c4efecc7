// Deno and Deno Deploy: UserSigs for the callers your identity provider vouches for.
// Secrets come from the environment (`deployctl`/the Deploy dashboard's environment variables), never from a file.
import { createHandler } from '@usersig/edge'

const env = Deno.env.toObject()

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
    // Per isolate on Deno Deploy: approximate across its isolates and regions (see docs/deploy.md).
    rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
    cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
  },
  { env },
)

Deno.serve(
  {
    hostname: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 8000),
    onListen: ({ hostname, port }) => console.log(`usersig listening on http://${hostname}:${port}/`),
  },
  (request, info) => handler(request, { clientAddress: (info.remoteAddr as Deno.NetAddr).hostname }),
)
