// Vercel / Next.js route handler on the Edge runtime: /v1/usersig, /v1/private-map-key, /healthz and CORS preflight.
// Secrets are the project's environment variables (`vercel env add`), read at run time, never from a file.
// Rate limits are per isolate: approximate across Vercel's isolates and regions (docs/deploy.md).
import { configFromEnv, createHandler, type Handler } from '@usersig/edge'

export const runtime = 'edge'
export const dynamic = 'force-dynamic'

// Settings are the service's environment variables (docs/deploy.md): USERSIG_SDKAPPID, USERSIG_SECRET_KEY (secret),
// USERSIG_JWT_SECRET (secret) or USERSIG_JWKS_URL + USERSIG_JWT_AUDIENCE, USERSIG_CORS_ORIGINS, USERSIG_RATE_LIMIT_PER_USER.
// Who may enter which room is decided here (policy.privateMapKey in docs/service.md):
const policy = { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*'], privileges: 'audience' }] } }

let handler: Handler | undefined

function get(): Handler {
  const env = process.env as Record<string, string | undefined>
  // Vercel sets x-real-ip to the client's address; a client cannot choose it there.
  handler ??= createHandler({ ...configFromEnv(env), policy }, { env, clientAddressHeader: 'x-real-ip' })
  return handler
}

export const GET = (request: Request): Promise<Response> => get()(request)
export const HEAD = GET
export const POST = GET
export const OPTIONS = GET
