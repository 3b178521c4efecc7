/** Starts a real redis-server on 127.0.0.1 and a free port, with no persistence; stops and restarts it. */
import { spawn, type ChildProcess } from 'node:child_process'
import { prereq } from '../../../scripts/prereq.mjs'
import { createServer } from 'node:net'
import { once } from 'node:events'

export async function freePort(): Promise<number> {
  const s = createServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as import('node:net').AddressInfo).port
  await new Promise((r) => s.close(r))
  return port
}

/** redis-server and redis-cli as test prerequisites: pass `.skip` to a test; a missing one never surfaces as ENOENT. */
export const REDIS_SERVER = prereq('redis-server')
export const REDIS_CLI = prereq('redis-cli')

function binary(p: { path: string | null; skip: string | false }): string {
  if (!p.path) throw new Error(String(p.skip))
  return p.path
}

export interface RedisProcess {
  port: number
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  /** Sends a signal to redis-server: SIGSTOP freezes it (connections stay open, nothing answers), SIGCONT thaws it. */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): void
}

/** Spawns redis-server with `args` and resolves once it accepts connections. */
async function spawnRedis(args: string[]): Promise<ChildProcess> {
  const c = spawn(binary(REDIS_SERVER), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in 60 s: ${out.slice(-500)}`)), 60_000)
    c.stdout!.on('data', (d) => {
      out += d
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    c.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`))
    })
    c.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })
  c.removeAllListeners('exit')
  return c
}

/** Kills a redis-server and waits for it to exit. */
async function killRedis(c: ChildProcess | undefined): Promise<void> {
  if (!c || c.exitCode !== null) return
  const exited = once(c, 'exit')
  c.kill('SIGKILL')
  await exited
}

const NO_PERSISTENCE = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']

export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = await spawnRedis(['--port', String(port), ...NO_PERSISTENCE, '--protected-mode', 'yes'])
  }
  const stop = async () => {
    await killRedis(child)
    child = undefined
  }
  await start()
  return { port, url: `redis://127.0.0.1:${port}`, start, stop, signal: (sig) => void child?.kill(sig) }
}

/** Polls `check` every 100 ms until it returns true, for at most `ms`. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

/** A port that is free, with its cluster bus port (port + 10000) free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort()
    if (port > 55000) continue
    const bus = createServer()
    const ok = await new Promise<boolean>((resolve) => {
      bus.once('error', () => resolve(false))
      bus.listen(port + 10000, '127.0.0.1', () => resolve(true))
    })
    if (ok) {
      await new Promise((r) => bus.close(r))
      return port
    }
  }
}

export interface RedisClusterProcess {
  ports: number[]
  /** One node's URL: clients discover the others from it. */
  url: string
  stop(): Promise<void>
}

/**
 * Starts a Redis Cluster of `masters` real redis-server nodes on 127.0.0.1 (no replicas, no persistence) and waits
 * until every slot is served.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterProcess> {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { execFile } = await import('node:child_process')
  const { promisify } = await import('node:util')
  const run = promisify(execFile)
  const dir = mkdtempSync(join(tmpdir(), 'usersig-redis-cluster-'))
  const ports: number[] = []
  const children: ChildProcess[] = []
  for (let i = 0; i < masters; i++) {
    const port = await freeClusterPort()
    ports.push(port)
    children.push(await spawnRedis(['--port', String(port), ...NO_PERSISTENCE, '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir]))
  }
  await run(binary(REDIS_CLI), ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'])
  await waitFor(async () => {
    const infos = await Promise.all(ports.map((p) => run(binary(REDIS_CLI), ['-p', String(p), 'cluster', 'info']).then((r) => r.stdout)))
    return infos.every((i) => i.includes('cluster_state:ok'))
  }, 60_000, 'the cluster to serve every slot')
  return {
    ports,
    url: `redis://127.0.0.1:${ports[0]}`,
    async stop() {
      await Promise.all(children.map(killRedis))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
