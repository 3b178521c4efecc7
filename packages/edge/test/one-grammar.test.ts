// One parser per kind of input (issue 12 §4). The same table of durations goes through the library (parseExpiresIn),
// the config of both adapters (a lifetime bound set to the value) and POST /v1/usersig of the Node service and of the
// edge handler, each on a real port on 127.0.0.1: every path accepts and refuses the same values and reads the same
// seconds. The same for SDKAppID: the core's normalizeSdkAppId decides, and both adapters refuse a bad one with the same
// code and message.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { after, before, describe, it } from 'node:test'
import { validateConfig } from '@usersig/issuer'
import { createApp, resolveConfig } from '@usersig/server'
import { DURATION_PATTERN, MAX_EXPIRES_IN, normalizeSdkAppId, parseDuration, parseExpiresIn } from 'usersig'
import { createHandler } from '../src/index.js'
import { deploymentEnv, mintJwt, SDKAPPID } from './helpers/secrets.js'

/** A duration as written, and the seconds every path reads from it (null: every path refuses it). */
const DURATIONS: [value: unknown, seconds: number | null][] = [
  [90, 90],
  ['90', 90],
  ['90s', 90],
  ['30m', 1800],
  ['12h', 43200],
  ['7d', 604800],
  ['2w', 1209600],
  [' 7d', 604800],
  ['7d ', 604800],
  ['\t12h\n', 43200],
  ['7 d', 604800],
  ['5000ms', 5],
  ['500ms', null],
  ['1.5h', null],
  ['86400.5', null],
  [86400.5, null],
  ['0', null],
  [0, null],
  ['-5', null],
  [-5, null],
  ['+5', null],
  ['1e3', null],
  ['7days', null],
  ['7D', null],
  ['', null],
  ['   ', null],
  ['86400000', null],
  [86400000, null],
  ['99999999999d', null],
  ['1000000000000', null],
  [MAX_EXPIRES_IN, MAX_EXPIRES_IN],
  [MAX_EXPIRES_IN + 1, null],
  [null, null],
  [true, null],
]

/** An SDKAppID as a body names it, and whether the one rule accepts it. */
const SDKAPPIDS: [value: unknown, ok: boolean][] = [
  [SDKAPPID, true],
  [String(SDKAPPID), true],
  [0, false],
  ['0', false],
  [1.5, false],
  ['1.5', false],
  [` ${SDKAPPID}`, false],
  [4294967296, false],
  ['4294967296', false],
  ['abc', false],
  [-1, false],
  [null, false],
  [true, false],
  [[SDKAPPID], false],
]

const env = deploymentEnv()
/** Bounds wide enough that a lifetime that is read is issued as is (min 1 s, max 50 years). */
const app = (userSig: Record<string, unknown> = {}) => ({
  sdkAppId: SDKAPPID,
  secretKeyEnv: 'USERSIG_SECRET_KEY',
  userSig: { minExpiresIn: 1, maxExpiresIn: MAX_EXPIRES_IN, ...userSig },
})
const config = { apps: [app()], auth: { jwt: { secretEnv: 'USERSIG_JWT_SECRET' } }, rateLimit: { enabled: false } }

/** The library's answer: the seconds, or null for a refusal (always INVALID_EXPIRES_IN). */
function library(v: unknown): number | null {
  try {
    return parseExpiresIn(v)
  } catch (e) {
    assert.equal((e as { code?: string }).code, 'INVALID_EXPIRES_IN', String(v))
    return null
  }
}

/** A config's answer with the value as `defaultExpiresIn`: the seconds, or null for a ConfigError naming that field. */
function configured(resolve: (c: Record<string, unknown>) => { apps: { userSigExpiresIn: { defaultExpiresIn: number } }[] }, v: unknown): number | null {
  try {
    return resolve({ ...config, apps: [app({ defaultExpiresIn: v })] }).apps[0]!.userSigExpiresIn.defaultExpiresIn
  } catch (e) {
    assert.equal((e as Error).name, 'ConfigError', String(e))
    assert.equal((e as { field?: string }).field, 'apps[0].userSig.defaultExpiresIn')
    return null
  }
}

describe('one grammar for durations, one rule for SDKAppID: library, config, service and edge handler over HTTP', () => {
  const servers: { name: string; url: string }[] = []
  let serviceApp: Awaited<ReturnType<typeof createApp>>
  let edgeServer: Server
  let token = ''
  before(async () => {
    token = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice')
    serviceApp = await createApp({ config: resolveConfig(structuredClone(config), { env }), logger: false, auditLogger: null, staticDir: null })
    await serviceApp.listen({ host: '127.0.0.1', port: 0 })
    const handler = createHandler(structuredClone(config), { env, audit: false, log: false })
    // The handler behind node:http, as the plain Node template runs it (the body read whole: these bodies are small).
    edgeServer = createServer(async (req, res) => {
      const headers = new Headers()
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
      const method = req.method ?? 'GET'
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const body = method === 'GET' || method === 'HEAD' ? null : Buffer.concat(chunks).toString('utf8')
      const response = await handler(new Request(`http://127.0.0.1${req.url ?? '/'}`, { method, headers, body }), { clientAddress: req.socket.remoteAddress ?? '' })
      response.headers.forEach((v, k) => res.setHeader(k, v))
      res.writeHead(response.status)
      res.end(Buffer.from(await response.arrayBuffer()))
    })
    edgeServer.listen(0, '127.0.0.1')
    await once(edgeServer, 'listening')
    const port = (a: unknown) => (a as { port: number }).port
    servers.push({ name: 'service', url: `http://127.0.0.1:${port(serviceApp.server.address())}` }, { name: 'edge', url: `http://127.0.0.1:${port(edgeServer.address())}` })
  })
  after(async () => {
    await serviceApp?.close()
    edgeServer?.close()
  })

  const issue = async (url: string, body: Record<string, unknown>) => {
    const res = await fetch(`${url}/v1/usersig`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }

  it('the grammar: DURATION_PATTERN (the JSON Schema pattern) accepts exactly the strings parseDuration reads', () => {
    const pattern = new RegExp(DURATION_PATTERN)
    for (const [v] of DURATIONS) if (typeof v === 'string') assert.equal(pattern.test(v), !Number.isNaN(parseDuration(v)), JSON.stringify(v))
    assert.equal(parseDuration('500ms'), 0.5, 'ms is in the grammar (timeouts); a lifetime refuses it for not being whole seconds')
    assert.ok(Number.isNaN(parseDuration(' '.repeat(40) + '1')), 'longer than 32 characters: no duration')
  })

  for (const [v, seconds] of DURATIONS) {
    it(`expiresIn ${JSON.stringify(v)} → ${seconds ?? 'refused'} everywhere`, async () => {
      assert.equal(library(v), seconds, 'library')
      assert.equal(configured((c) => validateConfig(c, env), v), seconds, 'config of the edge handler')
      assert.equal(configured((c) => resolveConfig(c, { env }), v), seconds, 'config of the service')
      if (v === null) return // "no expiresIn" in a body is absent, not null; a JSON null is refused by both (below).
      for (const s of servers) {
        const r = await issue(s.url, { expiresIn: v })
        if (seconds === null) {
          assert.equal(r.status, 400, `${s.name}: ${JSON.stringify(r.body)}`)
          assert.equal(r.body.error.code, 'INVALID_EXPIRES_IN', s.name)
        } else {
          assert.equal(r.status, 200, `${s.name}: ${JSON.stringify(r.body)}`)
          assert.equal(r.body.expiresAt - r.body.issuedAt, seconds, s.name)
        }
      }
    })
  }

  it('expiresIn null in a body: refused by both adapters alike', async () => {
    const [a, b] = await Promise.all(servers.map((s) => issue(s.url, { expiresIn: null })))
    assert.equal(a!.status, 400)
    assert.equal(a!.body.error.code, 'INVALID_EXPIRES_IN')
    assert.deepEqual(b, a)
  })

  it('a refused expiresIn gets the same message from the service and the edge handler', async () => {
    for (const v of ['1.5h', '500ms', 0, 86400.5, '86400000']) {
      const [a, b] = await Promise.all(servers.map((s) => issue(s.url, { expiresIn: v })))
      assert.deepEqual(b!.body.error, a!.body.error, JSON.stringify(v))
    }
  })

  for (const [v, ok] of SDKAPPIDS) {
    it(`sdkAppId ${JSON.stringify(v)}: ${ok ? 'accepted' : '400 INVALID_SDKAPPID'} by the core and both adapters, with one message`, async () => {
      let core: string | null = null
      try {
        normalizeSdkAppId(v)
      } catch (e) {
        core = (e as Error).message
      }
      assert.equal(core === null, ok, `core: ${core}`)
      const [a, b] = await Promise.all(servers.map((s) => issue(s.url, { sdkAppId: v })))
      for (const [name, r] of [['service', a!], ['edge', b!]] as const) {
        if (ok) {
          assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`)
          assert.equal(r.body.sdkAppId, SDKAPPID)
        } else {
          assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`)
          assert.equal(r.body.error.code, 'INVALID_SDKAPPID', name)
          assert.ok(r.body.error.message.startsWith(`body.${core}`), `${name}: ${r.body.error.message}`)
        }
      }
      if (!ok) assert.deepEqual(b!.body.error, a!.body.error, 'the same answer')
    })
  }
})
