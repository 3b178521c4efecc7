// The Vercel / Next.js route handler, bundled with esbuild for the Edge runtime and run in edge-runtime (the runtime
// Vercel's Edge Functions are built on). The wrapper plays Next's part: it routes each request to the exported
// method function and gives the route the project's environment as `process.env`, as Vercel does at run time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe } from 'node:test'
import { prereq } from './helpers/prereq.js'
import { bundle } from './helpers/bundle.js'
import { conformance, httpSend } from './helpers/conformance.js'
import { TEMPLATES } from './helpers/paths.js'
import { deploymentEnv } from './helpers/secrets.js'
import { startPrinting, type Running } from './helpers/spawn.js'

const edge = prereq('edge-runtime')

describe('template: Vercel route handler in edge-runtime', { skip: edge.skip }, () => {
  const env = deploymentEnv()
  const dir = mkdtempSync(join(tmpdir(), 'usersig-edge-runtime-'))
  let rt: Running
  before(async () => {
    const route = join(TEMPLATES, 'vercel', 'app', '[...path]', 'route.ts')
    writeFileSync(join(dir, 'env.json'), JSON.stringify(env))
    writeFileSync(
      join(dir, 'next-shim.ts'),
      // The route reads process.env on its first request, after this module has set it.
      `import env from './env.json'
import * as route from ${JSON.stringify(route)}
globalThis.process = { env } as never
addEventListener('fetch', (event: any) => {
  const f = (route as any)[event.request.method]
  event.respondWith(f ? f(event.request) : new Response(null, { status: 405 }))
})
`,
    )
    await bundle(join(dir, 'next-shim.ts'), join(dir, 'route.js'), 'edge-runtime', { format: 'iife' })
    rt = await startPrinting(edge.path!, ['--listen', join(dir, 'route.js'), '--port', '0'], { env: { PATH: process.env['PATH'] ?? '' } })
  })
  after(async () => {
    await rt?.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  conformance({ send: httpSend(() => rt.url), env, logs: () => rt.logs() })
})
