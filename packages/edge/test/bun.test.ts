// The Bun template run by Bun itself (Bun.serve on 127.0.0.1, port 0).
import { join } from 'node:path'
import { after, before, describe } from 'node:test'
import { prereq } from './helpers/prereq.js'
import { conformance, httpSend } from './helpers/conformance.js'
import { TEMPLATES } from './helpers/paths.js'
import { deploymentEnv } from './helpers/secrets.js'
import { startPrinting, type Running } from './helpers/spawn.js'

const bun = prereq('bun')

describe('template: Bun', { skip: bun.skip }, () => {
  const env = deploymentEnv()
  let rt: Running
  before(async () => {
    rt = await startPrinting(bun.path!, ['run', join(TEMPLATES, 'bun', 'server.ts')], {
      env: { PATH: process.env['PATH'] ?? '', ...env, HOST: '127.0.0.1', PORT: '0' },
      urlPattern: /(http:\/\/127\.0\.0\.1:\d+)/,
    })
  })
  after(() => rt?.stop())
  conformance({ send: httpSend(() => rt.url), env, logs: () => rt.logs() })
})
