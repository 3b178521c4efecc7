/**
 * Item 7 of the adversarial suite: haproxy (Debian) with /readyz health checks in front of three instances of
 * dist/main.js. A bounded client load runs through haproxy, with no retries anywhere, while (1) the instances are
 * restarted one by one (SIGTERM, wait for exit 0, start again on the same port) and (2) every instance gets SIGHUP
 * after its key file was replaced (rotation). Not one request may fail.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { verifyUserSig } from 'usersig'
import { prereq } from '../../../scripts/prereq.mjs'
import { jwt, remember } from './helpers.js'
import { MAIN_SDKAPPID as SDKAPPID, spawnMain, writeMainConfig, type Child } from './main-process.js'
import { freePort, waitFor } from './redis-helper.js'

const haproxyBin = prereq('haproxy')
const INSTANCES = 3
const WORKERS = 8
const MAX_REQUESTS = 50_000
const PAUSE_MS = 10

let haproxy: ChildProcess | undefined
after(() => { if (haproxy && haproxy.exitCode === null) haproxy.kill('SIGKILL') })

function haproxyConfig(front: number, stats: number, backends: number[]): string {
  return `global
  maxconn 2000
defaults
  mode http
  retries 0
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout check 3s
frontend usersig
  bind 127.0.0.1:${front}
  default_backend instances
backend instances
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  default-server inter 300ms fall 2 rise 2
${backends.map((p, i) => `  server s${i} 127.0.0.1:${p} check`).join('\n')}
listen stats
  bind 127.0.0.1:${stats}
  stats enable
  stats uri /stats
`
}

/** haproxy's view of each server: s0 → UP / DOWN / … */
async function serverStates(stats: number): Promise<Record<string, string>> {
  const csv = await (await fetch(`http://127.0.0.1:${stats}/stats;csv`)).text()
  const [header, ...rows] = csv.split('\n')
  const cols = header!.replace(/^# /, '').split(',')
  const status = cols.indexOf('status')
  const out: Record<string, string> = {}
  for (const r of rows) {
    const f = r.split(',')
    if (f[0] === 'instances' && /^s\d$/.test(f[1] ?? '')) out[f[1]!] = f[status]!
  }
  return out
}

test('rolling restart and SIGHUP key rotation behind haproxy under load: zero failed requests, no retries', { skip: haproxyBin.skip, timeout: 300_000 }, async (t) => {
  const { dir, file } = writeMainConfig({
    // The drain delay outlasts haproxy's detection (2 failed checks 300 ms apart) with room for a busy machine.
    server: { consoleDir: null, drainDelay: '3s', shutdownTimeout: '10s' },
    auth: { jwt: { secretFile: 'jwt' } },
    rateLimit: { perUser: '1000000/1m', perIp: '1000000/1m' },
  })
  const ports = await Promise.all(Array.from({ length: INSTANCES }, freePort))
  const instances: Child[] = []
  for (const p of ports) instances.push(await spawnMain(file, { PORT: String(p) }))
  const front = await freePort()
  const stats = await freePort()
  writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(front, stats, ports))
  haproxy = spawn(haproxyBin.path!, ['-f', join(dir, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let haproxyErr = ''
  haproxy.stderr!.on('data', (d) => { haproxyErr += d })
  const allUp = async () => Object.values(await serverStates(stats).catch(() => ({}))).filter((s) => s === 'UP').length === INSTANCES
  await waitFor(allUp, 15_000, `haproxy to see ${INSTANCES} instances up (${haproxyErr})`)

  const token = await jwt({}, { iss: 'x', aud: 'y' })
  const agent = new Agent({ keepAlive: true, maxSockets: WORKERS })
  const failures: string[] = []
  let served = 0
  let stop = false
  let lastSig = ''
  const one = () => new Promise<void>((resolve) => {
    const req = request(`http://127.0.0.1:${front}/v1/usersig`, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let body = ''
      res.on('data', (d) => { body += d })
      res.on('end', () => {
        if (res.statusCode === 200) {
          served++
          lastSig = (JSON.parse(body) as { userSig: string }).userSig
        } else failures.push(`${res.statusCode} ${body.slice(0, 120)}`)
        resolve()
      })
    })
    req.on('error', (e: NodeJS.ErrnoException) => { failures.push(e.code ?? e.message); resolve() })
    req.end('{}')
  })
  const load = Promise.all(Array.from({ length: WORKERS }, async () => {
    // A steady load, bounded in rate too: the instances must still be able to start on a shared machine.
    while (!stop && served + failures.length < MAX_REQUESTS) {
      await one()
      await new Promise((r) => setTimeout(r, PAUSE_MS))
    }
  }))

  try {
    await waitFor(() => served > 100, 15_000, 'load to flow')
    // (1) Rolling restart, one instance at a time.
    for (let i = 0; i < INSTANCES; i++) {
      const before = served
      instances[i]!.proc.kill('SIGTERM')
      assert.equal(await instances[i]!.exited, 0, `instance ${i} exits cleanly`)
      instances[i] = await spawnMain(file, { PORT: String(ports[i]) })
      await waitFor(allUp, 15_000, `haproxy to see instance ${i} up again`)
      assert.ok(served > before, 'requests were served during the restart')
    }
    // (2) Key rotation: replace the key file, SIGHUP every instance, under the same load.
    const newKey = remember('c'.repeat(64))
    writeFileSync(join(dir, 'key'), newKey)
    for (const inst of instances) inst.proc.kill('SIGHUP')
    await waitFor(() => verifyUserSig(lastSig, { sdkAppId: SDKAPPID, userId: 'alice', secretKey: newKey }).ok, 10_000, 'UserSigs under the new key')
    const mark = served
    await waitFor(() => served > mark + 200, 15_000, 'load after the rotation')
  } finally {
    stop = true
    await load
    agent.destroy()
    for (const inst of instances) inst.proc.kill('SIGTERM')
    await Promise.all(instances.map((i) => i.exited))
  }
  remember(lastSig)
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${served + failures.length} requests failed`)
  assert.ok(served > 500, `load was served (${served})`)
  t.diagnostic(`${served} requests served through haproxy, ${failures.length} failed`)
})
