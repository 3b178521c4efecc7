// The Deno / Deno Deploy template run by Deno itself (Deno.serve on 127.0.0.1, port 0). The template's deno.json maps
// @usersig/edge to npm; here Deno resolves it from the workspace's node_modules instead (--node-modules-dir=manual).
import { join } from 'node:path'
import { after, before, describe } from 'node:test'
import { prereq } from './helpers/prereq.js'
import { conformance, httpSend } from './helpers/conformance.js'
import { ROOT, TEMPLATES } from './helpers/paths.js'
import { deploymentEnv } from './helpers/secrets.js'
import { startPrinting, type Running } from './helpers/spawn.js'

const deno = prereq('deno')

describe('template: Deno', { skip: deno.skip }, () => {
  const env = deploymentEnv()
  let rt: Running
  before(async () => {
    const args = ['run', '--allow-net', '--allow-env', '--no-prompt', '--no-config', '--node-modules-dir=manual', join(TEMPLATES, 'deno', 'main.ts')]
    rt = await startPrinting(deno.path!, args, {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DENO_NO_UPDATE_CHECK: '1', ...env, HOST: '127.0.0.1', PORT: '0' },
    })
  })
  after(() => rt?.stop())
  conformance({ send: httpSend(() => rt.url), env, logs: () => rt.logs() })
})
