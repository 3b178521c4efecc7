// Plain Node (node:http), no framework: UserSigs for the callers your identity provider vouches for.
// Secrets come from the environment (your process manager or container platform), never from a file here.
// Rate limits are per process: exact for one process, counted separately by several (docs/deploy.md).
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { configFromEnv, createHandler } from '@usersig/edge'

// Settings are the service's environment variables (docs/deploy.md): USERSIG_SDKAPPID, USERSIG_SECRET_KEY (secret),
// USERSIG_JWT_SECRET (secret) or USERSIG_JWKS_URL + USERSIG_JWT_AUDIENCE, USERSIG_CORS_ORIGINS, USERSIG_RATE_LIMIT_PER_USER.
// Who may enter which room is decided here (policy.privateMapKey in docs/service.md):
const policy = { privateMapKey: { rules: [{ rooms: ['team-{userId}'], privileges: 'all' }, { rooms: ['lobby-*'], privileges: 'audience' }] } }

const env = process.env
const handler = createHandler({ ...configFromEnv(env), policy }, { env })

const server = createServer(async (req, res) => {
  const method = req.method ?? 'GET'
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1])
  const body = method === 'GET' || method === 'HEAD' ? null : Readable.toWeb(req)
  const request = new Request(`http://localhost${req.url ?? '/'}`, { method, headers, body, duplex: 'half' })
  const response = await handler(request, { clientAddress: req.socket.remoteAddress ?? '' })
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
})
// Bounded time for slow clients.
server.headersTimeout = 5000
server.requestTimeout = 15000
server.listen(Number(env.PORT ?? 8080), env.HOST ?? '127.0.0.1', () => {
  const a = server.address()
  console.log(`usersig listening on http://${a.address}:${a.port}/`)
})
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)))
