// The Cloudflare Workers template, bundled with esbuild as wrangler does and run in workerd with secret bindings.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe } from 'node:test'
import { prereq } from './helpers/prereq.js'
import { bundle } from './helpers/bundle.js'
import { conformance, httpSend } from './helpers/conformance.js'
import { TEMPLATES } from './helpers/paths.js'
import { deploymentEnv } from './helpers/secrets.js'
import type { Running } from './helpers/spawn.js'
import { startWorkerd } from './helpers/workerd.js'

const workerd = prereq('workerd')

describe('template: Cloudflare Workers in workerd', { skip: workerd.skip }, () => {
  const env = deploymentEnv()
  const dir = mkdtempSync(join(tmpdir(), 'usersig-workerd-'))
  let rt: Running
  before(async () => {
    await bundle(join(TEMPLATES, 'cloudflare', 'worker.ts'), join(dir, 'worker.js'), 'workerd')
    rt = await startWorkerd(workerd.path!, dir, 'worker.js', env)
  })
  after(async () => {
    await rt?.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  conformance({ send: httpSend(() => rt.url), env, logs: () => rt.logs() })
})
