/**
 * Test helpers: a config with known secrets, real JWTs (jose), apps whose every log line (request log and audit, at
 * trace level) is captured, and a check that no secret, JWT or issued UserSig ever shows up in that output.
 */
import { after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { generateLegacyKeyPair } from 'usersig/legacy'
import { createApp, createLogger, resolveConfig, type CreateAppOptions } from '../src/index.js'
import type { FastifyInstance } from 'fastify'

export const SDKAPPID = 1400000001
export const SECRET_KEY = randomBytes(32).toString('hex')
export const SDKAPPID_2 = 1400000002
export const SECRET_KEY_2 = randomBytes(32).toString('hex')
export const JWT_SECRET = `jwt-secret-${randomBytes(24).toString('hex')}`
export const ADMIN_KEY = `admin-${randomBytes(24).toString('hex')}`
export const ISSUE_KEY = `issue-${randomBytes(24).toString('hex')}`
export const VERIFY_KEY = `verify-${randomBytes(24).toString('hex')}`
export const AUDIENCE = 'usersig-test'
export const ISSUER = 'https://idp.test'

/** Everything every test app logged, one string per line. */
export const LOGS: string[] = []
/** Strings that must never appear in LOGS: keys, JWTs, issued UserSigs. */
export const SECRETS = new Set<string>([SECRET_KEY, SECRET_KEY_2, JWT_SECRET, ADMIN_KEY, ISSUE_KEY, VERIFY_KEY])

export function remember(secret: string): string {
  SECRETS.add(secret)
  return secret
}

export function captureStream(): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) LOGS.push(line)
      cb()
    },
  })
}

export function testLogger() {
  return createLogger({ level: 'trace', destination: captureStream() })
}

let checkInstalled = false
/** Installs (once per file) an after() hook that fails if any secret reached a log line. */
export function checkLogsAtEnd(): void {
  if (checkInstalled) return
  checkInstalled = true
  after(() => {
    assertNoSecretsIn(LOGS, 'log output')
  })
}

export function assertNoSecretsIn(lines: string[], what: string): void {
  const all = lines.join('\n')
  for (const s of SECRETS) {
    if (s.length < 16) continue
    assert.ok(!all.includes(s), `${what} contains a secret, JWT or UserSig (${s.slice(0, 6)}…)`)
    // A UserSig in the standard alphabet, or a JWT's signature part alone, must not show up either.
    const core = s.length > 40 ? s.slice(-32) : s
    assert.ok(!all.includes(core), `${what} contains part of a secret (${s.slice(0, 6)}…)`)
  }
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}

export function baseConfig(): Record<string, unknown> {
  return {
    apps: [
      { sdkAppId: SDKAPPID, name: 'main', secretKey: SECRET_KEY, userSig: { defaultExpiresIn: '1d', minExpiresIn: '10m', maxExpiresIn: '7d' }, privateMapKey: { defaultExpiresIn: 300, minExpiresIn: 60, maxExpiresIn: '1h' } },
      { sdkAppId: SDKAPPID_2, name: 'second', secretKey: SECRET_KEY_2, userIdPolicy: 'strict' },
    ],
    auth: {
      jwt: { secret: JWT_SECRET, issuer: ISSUER, audience: AUDIENCE },
      apiKeys: [
        { name: 'ops', sha256: sha256(ADMIN_KEY), scopes: ['admin'] },
        { name: 'ruby-backend', key: ISSUE_KEY, scopes: ['issue'] },
        { name: 'support', sha256: sha256(VERIFY_KEY), scopes: ['verify'] },
      ],
    },
    policy: {
      privateMapKey: {
        rules: [
          { rooms: ['live-*', 1234], roles: ['host'], privileges: 'anchor' },
          { rooms: ['live-*', 1234], privileges: 'audience' },
          { rooms: ['user-{userId}'], privileges: ['enter', 'sendAudio', 'recvAudio'] },
          { rooms: ['/^vip-[0-9]+$/'], users: ['vip'], privileges: 255 },
        ],
      },
    },
    rateLimit: { perUser: { limit: 1000, window: 60 }, perIp: { limit: 10000, window: 60 } },
  }
}

export function config(patch: (c: Record<string, any>) => void = () => {}) {
  const c = baseConfig() as Record<string, any>
  patch(c)
  return resolveConfig(c, { env: {} })
}

export async function app(options: Partial<CreateAppOptions> & { patch?: (c: Record<string, any>) => void } = {}): Promise<FastifyInstance> {
  checkLogsAtEnd()
  const { patch, ...rest } = options
  const logger = testLogger()
  const a = await createApp({ config: config(patch), logger, staticDir: null, ...rest })
  after(() => a.close())
  return a
}

/** A JWT for the test IdP; with a numeric `exp` it was issued an hour before it (tests run the service on a fixed clock). */
export async function jwt(claims: Record<string, unknown> = {}, opts: { secret?: string; exp?: string | number; iat?: number; aud?: string; iss?: string; sub?: string | null; alg?: string } = {}): Promise<string> {
  let b = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'HS256' }).setIssuedAt(opts.iat ?? (typeof opts.exp === 'number' ? opts.exp - 3600 : undefined)).setIssuer(opts.iss ?? ISSUER).setAudience(opts.aud ?? AUDIENCE).setExpirationTime(opts.exp ?? '10m')
  if (opts.sub !== null) b = b.setSubject(opts.sub ?? 'alice')
  return remember(await b.sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET)))
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

/** POST JSON through inject; remembers any userSig in the answer as a secret for the log check. */
export async function post(a: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await a.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) })
  const json = res.headers['content-type']?.toString().includes('json') ? res.json() : undefined
  if (json && typeof json.userSig === 'string') remember(json.userSig)
  return { status: res.statusCode, body: json, headers: res.headers, raw: res }
}

export async function get(a: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const res = await a.inject({ method: 'GET', url, headers })
  const json = res.headers['content-type']?.toString().includes('json') ? res.json() : undefined
  return { status: res.statusCode, body: json, headers: res.headers, text: res.body }
}

/** A tiny local HTTP server on 127.0.0.1 for JWKS, forward auth and webhooks. */
/** A service instance listening on 127.0.0.1 (a free port) with this rate-limit config; closed after the test file. */
export async function listeningService(rateLimit: Record<string, unknown>): Promise<{ app: FastifyInstance; url: string }> {
  const app = await createApp({ config: config((c) => { c.rateLimit = rateLimit }), logger: testLogger(), staticDir: null })
  await app.listen({ host: '127.0.0.1', port: 0 })
  after(() => app.close())
  return { app, url: `http://127.0.0.1:${(app.server.address() as import('node:net').AddressInfo).port}` }
}

export async function localServer(handler: (req: import('node:http').IncomingMessage, body: string) => { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }): Promise<{ url: string; server: Server; hits: number }> {
  const state = { hits: 0 }
  const server = createServer(async (req, res) => {
    state.hits++
    let body = ''
    for await (const chunk of req) body += chunk
    const r = handler(req, body)
    if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs))
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers })
    res.end(r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const addr = server.address() as import('node:net').AddressInfo
  after(() => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()) }))
  return { url: `http://127.0.0.1:${addr.port}`, server, get hits() { return state.hits } }
}

/** The SDKAppID of legacyApp()'s only app. */
export const LEGACY_SDKAPPID = 1400000003

/**
 * A service whose only app is a legacy ECDSA one (SDKAppID LEGACY_SDKAPPID), its private key read from a file as an
 * operator would configure it. The caller closes the app. The PEM body is remembered as a secret for the log check.
 */
export async function legacyApp(curve: 'P-256' | 'secp256k1'): Promise<{ app: FastifyInstance; publicKeyPem: string }> {
  const pair = generateLegacyKeyPair({ curve })
  remember(pair.privateKeyPem.split('\n')[1]!)
  const dir = tmpDir()
  writeFileSync(join(dir, 'ec.pem'), pair.privateKeyPem, { mode: 0o600 })
  const input = baseConfig() as Record<string, any>
  input.apps = [{ sdkAppId: LEGACY_SDKAPPID, privateKeyFile: 'ec.pem' }]
  const a = await createApp({ config: resolveConfig(input, { baseDir: dir }), logger: testLogger(), staticDir: null })
  return { app: a, publicKeyPem: pair.publicKeyPem }
}

export function tmpDir(prefix = 'usersig-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function writeTmp(name: string, content: string, dir = tmpDir()): string {
  const p = join(dir, name)
  writeFileSync(p, content, { mode: 0o600 })
  return p
}
