/**
 * `npm run bench:service`: the issuing service against the sample people copy, over HTTP on 127.0.0.1, in one run.
 *
 *   ours      packages/server/dist/main.js with every defence on: JWT bearer auth (HS256, 1000 users), rate limiting
 *             (limits set high, counters capped), audit logging (one JSON line per decision, to a file), header and
 *             request timeouts for slow clients, strict schemas, security headers.
 *             Each user sends the same token every time (a session token), so most checks hit the verified-token cache.
 *   ours, uncached   the same with `auth.jwt.cacheTtl: 0` and a different token on every request (20,000 users):
 *             every request pays a full JWT signature check (the worst case; reported, not the headline).
 *   baseline  Express 5 + tls-sig-api-v2 with no auth at all: `POST {userId}` → genUserSig (USER-NEEDS.md §3).
 *
 * Each server is its own process; autocannon (50 connections) runs here. Both are warmed up, then measured for
 * BENCH_DURATION seconds each (default 60), alternating baseline/ours. Prints req/s, p99, errors and the ratio.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import { SignJWT } from 'jose'
import { verifyUserSig } from 'usersig'

const root = fileURLToPath(new URL('..', import.meta.url))
const DURATION = Number(process.env['BENCH_DURATION'] ?? 60)
const WARMUP = Math.min(5, Math.max(1, Math.round(DURATION / 10)))
const CONNECTIONS = 50
const SDKAPPID = 1400000000
const KEY = randomBytes(32).toString('hex')
const JWT_SECRET = randomBytes(32).toString('hex')
const USERS = 1000
const FRESH_USERS = 20_000

const children: ChildProcess[] = []
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')))

/** Starts a process and resolves with the URL it prints (`"url":"http://…"` or `URL http://…`). */
function start(args: string[], env: Record<string, string>): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(proc)
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 15_000)
    const onData = (d: Buffer) => {
      out += d
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"|URL (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ url: (m[1] ?? m[2])!, proc })
      }
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', (d) => { out += d })
    proc.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
}

const EXPRESS = `
const express = require('express')
const TLSSigAPIv2 = require('tls-sig-api-v2')
const api = new TLSSigAPIv2.Api(Number(process.env.SDKAPPID), process.env.KEY)
const app = express()
app.use(express.json())
app.post('/usersig', (req, res) => {
  const { userId } = req.body
  res.json({ userId, userSig: api.genUserSig(userId, 86400) })
})
const server = app.listen(0, '127.0.0.1', () => console.log('URL http://127.0.0.1:' + server.address().port))
`

interface Figures { name: string; rps: number; p99: number; p50: number; errors: number; total: number }

async function load(name: string, url: string, requests: autocannon.Request[], duration: number): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration, requests, pipelining: 1 })
  return { name, rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50, errors: r.errors + r.timeouts + r.non2xx, total: r.requests.total }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'usersig-bench-'))
  writeFileSync(join(dir, 'key'), KEY, { mode: 0o600 })
  writeFileSync(join(dir, 'jwt'), JWT_SECRET, { mode: 0o600 })
  const audit = join(dir, 'audit.log')
  const writeConfig = (name: string, cacheTtl: number) => writeFileSync(join(dir, name), JSON.stringify({
    // The defaults, spelled out: the benchmark runs with the slow-client timeouts and capped counters on.
    server: { consoleDir: null, headersTimeout: '5s', requestTimeout: '30s' },
    apps: [{ sdkAppId: SDKAPPID, secretKeyFile: 'key' }],
    auth: { jwt: { secretFile: 'jwt', issuer: 'https://idp.bench', audience: 'usersig-bench', cacheTtl } },
    rateLimit: { perUser: '1000000/1m', perIp: '100000000/1m', maxKeys: 100_000 },
    audit: { file: audit },
    log: { level: 'info' },
  }))
  writeConfig('cached.json', 60)
  writeConfig('uncached.json', 0)

  const ours = await start(['packages/server/dist/main.js', '--config', join(dir, 'cached.json')], { PORT: '0' })
  const uncached = await start(['packages/server/dist/main.js', '--config', join(dir, 'uncached.json')], { PORT: '0' })
  const base = await start(['-e', EXPRESS], { SDKAPPID: String(SDKAPPID), KEY })

  const secret = new TextEncoder().encode(JWT_SECRET)
  const sign = (i: number) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`user${i}`)
    .setIssuer('https://idp.bench').setAudience('usersig-bench').setIssuedAt().setExpirationTime('2h').sign(secret)
  const tokens = await Promise.all(Array.from({ length: USERS }, (_, i) => sign(i)))
  const fresh = await Promise.all(Array.from({ length: FRESH_USERS }, (_, i) => sign(i)))

  // Both answer correctly before anything is measured.
  const check = await fetch(`${ours.url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' }, body: '{}' })
  const body = await check.json() as { userSig: string }
  if (check.status !== 200 || !verifyUserSig(body.userSig, { sdkAppId: SDKAPPID, userId: 'user0', secretKey: KEY }).ok) throw new Error(`service check failed: ${check.status}`)
  const baseCheck = await fetch(`${base.url}/usersig`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"user0"}' })
  const baseBody = await baseCheck.json() as { userSig: string }
  if (!verifyUserSig(baseBody.userSig, { sdkAppId: SDKAPPID, userId: 'user0', secretKey: KEY }).ok) throw new Error('baseline check failed')

  // Prebuilt requests (autocannon cycles through them on every connection): 1000 users, no per-request setup cost here.
  const oursRequests: autocannon.Request[] = tokens.map((t) => ({
    method: 'POST', path: '/v1/usersig', body: '{}', headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
  }))
  const baseRequests: autocannon.Request[] = tokens.map((_, i) => ({
    method: 'POST', path: '/usersig', body: `{"userId":"user${i}"}`, headers: { 'content-type': 'application/json' },
  }))

  // A different token on every request (a global counter across connections), so no two in flight share one.
  let next = 0
  const freshRequests: autocannon.Request[] = [{
    method: 'POST', path: '/v1/usersig', body: '{}',
    setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh[next++ % FRESH_USERS]}` } }),
  }]

  console.log(`bench:service  ${CONNECTIONS} connections, ${DURATION} s each (warm-up ${WARMUP} s), Node ${process.version}`)
  await load('warm-up', base.url, baseRequests, WARMUP)
  await load('warm-up', ours.url, oursRequests, WARMUP)
  await load('warm-up', uncached.url, freshRequests, WARMUP)
  const b = await load('Express 5 + tls-sig-api-v2, no auth', base.url, baseRequests, DURATION)
  const o = await load('usersig service: JWT + rate limit + audit', ours.url, oursRequests, DURATION)
  const u = await load('  same, every request a new JWT (uncached)', uncached.url, freshRequests, DURATION)

  const row = (f: Figures) => console.log(`  ${f.name.padEnd(44)} ${Math.round(f.rps).toLocaleString('en-US').padStart(8)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   errors ${f.errors} / ${f.total.toLocaleString('en-US')}`)
  row(b)
  row(o)
  row(u)
  console.log(`  ratio (ours / baseline): ${(o.rps / b.rps).toFixed(2)}x   target >= 2x, p99 < 20 ms, 0 errors`)
  console.log(`  ratio, uncached JWT (worst case): ${(u.rps / b.rps).toFixed(2)}x`)
  console.log(`  audit log: ${statSync(audit).size.toLocaleString('en-US')} bytes (one line per issued UserSig)`)

  for (const c of children) c.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 500))
  rmSync(dir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
