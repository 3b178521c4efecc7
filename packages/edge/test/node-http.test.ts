// The plain Node template (node:http) run as a real process on 127.0.0.1, port 0.
import { after, before, describe } from 'node:test'
import { join } from 'node:path'
import { conformance, httpSend } from './helpers/conformance.js'
import { TEMPLATES } from './helpers/paths.js'
import { deploymentEnv } from './helpers/secrets.js'
import { startPrinting, type Running } from './helpers/spawn.js'

describe('template: plain Node (node:http)', () => {
  const env = deploymentEnv()
  let rt: Running
  before(async () => {
    rt = await startPrinting(process.execPath, [join(TEMPLATES, 'node', 'server.mjs')], {
      env: { PATH: process.env['PATH'] ?? '', ...env, HOST: '127.0.0.1', PORT: '0' },
    })
  })
  after(() => rt?.stop())
  conformance({ send: httpSend(() => rt.url), env, logs: () => rt.logs() })
})
