// Vercel / Next.js route handler on the Edge runtime: /v1/usersig, /v1/private-map-key, /healthz and CORS preflight.
// Secrets are the project's environment variables (`vercel env add`), read at run time, never from a file.
import { createHandler, type Handler } from '@usersig/edge'

export const runtime = 'edge'
export const dynamic = 'force-dynamic'

let handler: Handler | undefined

function get(): Handler {
  const env = process.env as Record<string, string | undefined>
  handler ??= createHandler(
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
      // Per isolate: approximate across Vercel's edge isolates and regions (see docs/deploy.md).
      rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
      cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
    },
    // Vercel sets x-real-ip to the client's address; a client cannot choose it there.
    { env, clientAddressHeader: 'x-real-ip' },
  )
  return handler
}

export const GET = (request: Request): Promise<Response> => get()(request)
export const HEAD = GET
export const POST = GET
export const OPTIONS = GET
