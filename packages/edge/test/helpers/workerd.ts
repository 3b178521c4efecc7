/**
 * Runs a bundled Worker in workerd: a capnp config with the secrets as text bindings (what `wrangler secret put`
 * gives a deployed Worker), listening on a socket this process opened on 127.0.0.1 port 0 and handed over by fd.
 */
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { stop, waitFor, type Running } from './spawn.js'

export async function startWorkerd(bin: string, dir: string, moduleFile: string, bindings: Record<string, string>, opts: { keepLogs?: boolean } = {}): Promise<Running & { spawnedAt: number }> {
  const b = Object.entries(bindings).map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`).join(', ')
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", service = "main", http = ()) ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed ${JSON.stringify(moduleFile)}) ],
  compatibilityDate = "2025-09-01",
  bindings = [ ${b} ],
);
`,
  )
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd
  const spawnedAt = performance.now()
  const child = spawn(bin, ['serve', join(dir, 'config.capnp'), '--socket-fd', 'http=3'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', fd] })
  // workerd holds its own copy of the listening socket now; ours must not accept.
  server.close()
  let out = ''
  const keep = (d: Buffer) => {
    if (opts.keepLogs !== false) out += d
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  await waitFor(`${url}/healthz`)
  return { url, child, logs: () => out, stop: () => stop(child), spawnedAt }
}
