/** Starts a real redis-server on 127.0.0.1 and a free port, with no persistence; stops and restarts it. */
import { spawn, type ChildProcess } from 'node:child_process'
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

export interface RedisProcess {
  port: number
  url: string
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = c
    let out = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s: ${out.slice(-500)}`)), 10_000)
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
  }
  const stop = async () => {
    const c = child
    if (!c || c.exitCode !== null) return
    const exited = once(c, 'exit')
    c.kill('SIGKILL')
    await exited
    child = undefined
  }
  await start()
  return { port, url: `redis://127.0.0.1:${port}`, start, stop }
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
