/**
 * `npm run bench:edge`: the @usersig/edge templates in their real runtimes, over HTTP on 127.0.0.1.
 *
 *   bundle                @usersig/edge bundled for Workers (esbuild, minified), raw and gzipped.
 *   cold start (workerd)  the Cloudflare template bundled as wrangler does; from spawning workerd to the first answer
 *                         of GET /healthz, and the first POST /v1/usersig (which builds the handler from the
 *                         bindings), against the median of the following requests. Median of COLD_RUNS starts.
 *   throughput (Bun, Deno) POST /v1/usersig with a valid HS256 JWT (1000 users, round robin), audit lines on,
 *                         limits on but set high; autocannon, 32 connections, BENCH_DURATION seconds (default 5)
 *                         after a 1 s warm-up. Prints requests/second, p99 and non-2xx answers.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { prereq } from '../packages/edge/test/helpers/prereq.js'
import { bundle, workerBundleSize } from '../packages/edge/test/helpers/bundle.js'
import { ROOT, TEMPLATES } from '../packages/edge/test/helpers/paths.js'
import { deploymentEnv, mintJwt } from '../packages/edge/test/helpers/secrets.js'
import { startPrinting, type Running } from '../packages/edge/test/helpers/spawn.js'
import { startWorkerd } from '../packages/edge/test/helpers/workerd.js'

const DURATION = Number(process.env['BENCH_DURATION'] ?? 5)
const COLD_RUNS = Number(process.env['BENCH_COLD_RUNS'] ?? 5)
const USERS = 1000
const env: Record<string, string> = { ...deploymentEnv(), USERSIG_RATE_LIMIT_PER_USER: '1000000/1m', USERSIG_RATE_LIMIT_PER_IP: '100000000/1m' }
const tokens = await Promise.all(Array.from({ length: USERS }, (_, i) => mintJwt(env['USERSIG_JWT_SECRET']!, `user${i}`, { expiresIn: 3600 })))

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

async function timed(url: string, init?: RequestInit): Promise<number> {
  const t = performance.now()
  const res = await fetch(url, init)
  await res.arrayBuffer()
  if (!res.ok) throw new Error(`${url} answered ${res.status}`)
  return performance.now() - t
}

async function coldStart(): Promise<void> {
  const workerd = prereq('workerd')
  if (workerd.skip) return console.log(`cold start (workerd): skipped, ${workerd.skip}`)
  const dir = mkdtempSync(join(tmpdir(), 'usersig-bench-workerd-'))
  try {
    await bundle(join(TEMPLATES, 'cloudflare', 'worker.ts'), join(dir, 'worker.js'), 'workerd', { minify: true })
    const toReady: number[] = []
    const first: number[] = []
    const steady: number[] = []
    for (let i = 0; i < COLD_RUNS; i++) {
      const rt = await startWorkerd(workerd.path!, dir, 'worker.js', env, { keepLogs: false })
      toReady.push(performance.now() - rt.spawnedAt)
      const post = () => timed(`${rt.url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${tokens[i]}` } })
      first.push(await post())
      const rest: number[] = []
      for (let j = 0; j < 20; j++) rest.push(await post())
      steady.push(median(rest))
      await rt.stop()
    }
    console.log(`cold start (workerd ${COLD_RUNS} runs, medians): spawn → first /healthz answer ${median(toReady).toFixed(0)} ms; first POST /v1/usersig (handler built from the bindings) ${median(first).toFixed(1)} ms; later requests ${median(steady).toFixed(2)} ms`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function load(name: string, rt: Running): Promise<void> {
  let n = 0
  const opts = {
    url: `${rt.url}/v1/usersig`,
    method: 'POST' as const,
    connections: 32,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    setupClient(client: { setHeaders(h: Record<string, string>): void; on(e: string, f: () => void): void }) {
      const next = () => client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${tokens[n++ % USERS]}` })
      next()
      client.on('response', next)
    },
  }
  await autocannon({ ...opts, duration: 1 })
  const r = await autocannon({ ...opts, duration: DURATION })
  console.log(`throughput (${name}): ${Math.round(r.requests.average)} requests/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`)
}

const children: Running[] = []
process.on('exit', () => children.forEach((c) => c.child.exitCode === null && c.child.kill('SIGKILL')))
const runEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DENO_NO_UPDATE_CHECK: '1', ...env, HOST: '127.0.0.1', PORT: '0' }

const size = await workerBundleSize()
console.log(`bundle (@usersig/edge for Workers, esbuild minified, jose included): ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzipped`)
await coldStart()
const bun = prereq('bun')
if (bun.skip) console.log(`throughput (Bun): skipped, ${bun.skip}`)
else {
  const rt = await startPrinting(bun.path!, ['run', join(TEMPLATES, 'bun', 'server.ts')], { env: runEnv, keepLogs: false })
  children.push(rt)
  await load('Bun', rt)
  await rt.stop()
}
const deno = prereq('deno')
if (deno.skip) console.log(`throughput (Deno): skipped, ${deno.skip}`)
else {
  const args = ['run', '--allow-net', '--allow-env', '--no-prompt', '--no-config', '--node-modules-dir=manual', join(TEMPLATES, 'deno', 'main.ts')]
  const rt = await startPrinting(deno.path!, args, { cwd: ROOT, env: runEnv, keepLogs: false })
  children.push(rt)
  await load('Deno', rt)
  await rt.stop()
}
