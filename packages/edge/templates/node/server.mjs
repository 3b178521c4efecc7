// Plain Node (node:http), no framework: UserSigs for the callers your identity provider vouches for.
// Secrets come from the environment (your process manager or container platform), never from a file here.
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
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
    // One process: exact for it (several processes count separately; see docs/deploy.md).
    rateLimit: { perUser: env.USERSIG_RATE_LIMIT_PER_USER ?? '30/1m', perIp: env.USERSIG_RATE_LIMIT_PER_IP ?? '120/1m' },
    cors: { origins: env.USERSIG_CORS_ORIGINS ?? [] },
  },
  { env },
)

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
