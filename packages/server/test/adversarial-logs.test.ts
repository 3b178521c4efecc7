/**
 * Items 4 and 6 of the adversarial suite: at log level `trace`, after requests built to make a server log what it
 * should not (malformed HTTP carrying credentials, oversized headers, slow headers, tokens in URLs, bad keys), no
 * line holds the JWT, the API key, the cookie or the app's secret key in any encoding (byte arrays, base64,
 * percent-encoding are decoded before the search), and every line is JSON without a duplicate key.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { jwt, remember, SECRET_KEY, JWT_SECRET, sha256 } from './helpers.js'
import { logLines, spawnMain, writeMainConfig } from './main-process.js'

const API_KEY = remember(`ak-${randomBytes(24).toString('hex')}`)
const COOKIE = remember(`sess-${randomBytes(24).toString('hex')}`)

function raw(port: number, data: string, keepOpenMs = 200): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    let out = ''
    s.on('data', (d) => { out += d })
    s.on('close', () => resolve(out))
    s.on('error', () => resolve(out))
    s.write(data)
    setTimeout(() => s.end(), keepOpenMs)
  })
}

/** Every string a log value could be hiding, decoded: byte arrays, base64/base64url runs, percent-encoding. */
function decodings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    out.push(v)
    try { out.push(decodeURIComponent(v)) } catch { out.push(v.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))) }
    for (const run of v.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
      out.push(Buffer.from(run, 'base64').toString('latin1'), Buffer.from(run, 'base64url').toString('latin1'))
    }
  } else if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => Number.isInteger(x) && x >= 0 && x < 256)) out.push(Buffer.from(v as number[]).toString('latin1'))
    for (const x of v) decodings(x, out)
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) { out.push(k); decodings(x, out) }
  }
  return out
}

test('log level trace: no credential in any encoding after hostile requests; no duplicate JSON key in any line', { timeout: 60_000 }, async () => {
  const { file } = writeMainConfig({
    server: { consoleDir: null, headersTimeout: '1s', requestTimeout: '2s' },
    auth: { jwt: { secretFile: 'jwt' }, apiKeys: [{ name: 'ops', sha256: sha256(API_KEY), scopes: ['admin'] }] },
    metrics: { requireApiKey: true },
    log: { level: 'trace' },
  })
  const child = await spawnMain(file)
  const port = Number(new URL(child.url).port)
  const token = await jwt({}, { iss: 'x', aud: 'y' })
  const creds = `Authorization: Bearer ${token}\r\nCookie: session=${COOKIE}\r\nX-Api-Key: ${API_KEY}\r\n`
  const enc = encodeURIComponent

  // A good request and a good admin call: their answers hold the UserSig (remembered as a secret too).
  const ok = await fetch(`${child.url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${token}`, cookie: `session=${COOKIE}`, 'content-type': 'application/json' }, body: '{}' })
  assert.equal(ok.status, 200)
  remember(((await ok.json()) as { userSig: string }).userSig)
  assert.equal((await fetch(`${child.url}/metrics`, { headers: { 'x-api-key': API_KEY } })).status, 200)
  assert.equal((await fetch(`${child.url}/v1/admin/apps`, { headers: { 'x-api-key': API_KEY } })).status, 200)
  // Malformed HTTP carrying every credential (fastify's default logs the raw packet here, as an array of numbers).
  await raw(port, `POST /v1/usersig HTTP/1.1\r\nHost: x\r\n${creds}Bad Header: y\r\n\r\n`)
  await raw(port, `POST /v1/usersig HTTP/1.1\r\nHost: x\r\n${creds}Transfer-Encoding: chunked\r\n\r\nzz\r\n`)
  // Oversized headers with the credentials in them.
  await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${creds}X-Pad: ${'p'.repeat(20_000)}\r\n\r\n`)
  // Headers that never finish (408 after headersTimeout).
  await raw(port, `POST /v1/usersig HTTP/1.1\r\nHost: x\r\n${creds}`, 2500)
  // Credentials in URLs, plain, percent-encoded and base64.
  for (const path of [`/v1/usersig?access_token=${token}`, `/x/${enc(token)}?k=${enc(API_KEY)}`, `/%zz${token}`, `/y/${Buffer.from(COOKIE).toString('base64')}`]) {
    await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: session=${COOKIE}\r\nConnection: close\r\n\r\n`)
  }
  // Wrong keys and tampered tokens next to the real ones.
  await fetch(`${child.url}/metrics`, { headers: { 'x-api-key': `${API_KEY}x` } })
  await fetch(`${child.url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${token.slice(0, -2)}AA`, 'content-type': 'application/json' }, body: '{"userId":"mallory"}' })
  await fetch(`${child.url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: `{"token":"${token}"` })

  child.proc.kill('SIGTERM')
  assert.equal(await child.exited, 0)
  const lines = logLines(child.stdout())
  assert.ok(lines.length > 5 && lines.some((l) => l['level'] === 10 || l['level'] === 20), 'trace/debug lines were written')
  const haystack = lines.flatMap((l) => decodings(l)).join('\n')
  const needles: [string, string][] = [['JWT', token], ['JWT signature', token.split('.')[2]!], ['API key', API_KEY], ['cookie', COOKIE], ['app secret key', SECRET_KEY], ['JWT secret', JWT_SECRET]]
  for (const [what, secret] of needles) assert.ok(!haystack.includes(secret), `the log holds the ${what}`)
})
