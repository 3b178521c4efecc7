/**
 * The conformance suite in workerd (the Cloudflare Workers runtime), installed by scripts/runtimes.mjs: a real workerd
 * process serves a Worker (a capnp config, ES modules) that runs the suite per request; the report is fetched over
 * HTTP on 127.0.0.1. workerd listens on port 0 and tells the port on its control descriptor.
 */
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite, scratchDir } from './_bundle.js'
import { expectConformance } from './_report.js'
import type { RuntimeReport } from './entry.js'

const workerd = prereq('workerd')

const WORKER = `import { conformance } from './conformance.mjs'
export default {
  async fetch() {
    return new Response(JSON.stringify(conformance()), { headers: { 'content-type': 'application/json' } })
  },
}
`

const CONFIG = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "conformance.mjs", esModule = embed "conformance.mjs"),
  ],
  compatibilityDate = "2025-01-01",
);
`

/** Resolves with the port workerd reports on its control descriptor, or rejects when it exits first. */
function listeningPort(control: Readable, child: ReturnType<typeof spawn>, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within 30 s:\n${stderr()}`)), 30_000)
    createInterface({ input: control }).on('line', (line) => {
      const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number }
      if (msg.event === 'listen' && msg.socket === 'http' && typeof msg.port === 'number') {
        clearTimeout(timer)
        resolve(msg.port)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`workerd exited (${code}) before listening:\n${stderr()}`))
    })
  })
}

test('workerd (Cloudflare Workers)', { skip: workerd.skip }, async () => {
  const started = Date.now()
  const tmp = scratchDir({ 'conformance.mjs': await bundleSuite({ format: 'esm' }), 'worker.mjs': WORKER, 'config.capnp': CONFIG })
  const child = spawn(workerd.path!, ['serve', '--control-fd=3', 'config.capnp'], { cwd: tmp.dir, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000) })
  try {
    const port = await listeningPort(child.stdio[3] as Readable, child, () => err)
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(120_000) })
    assert.equal(res.status, 200, await res.clone().text())
    const report = (await res.json()) as RuntimeReport
    expectConformance('workerd', report, started)
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
    tmp.remove()
  }
})
