/**
 * The issuing service (packages/server) started in this process for the console's browser tests: createApp with
 * the given config, listening on 127.0.0.1 port 0, serving packages/console/dist at /.
 */
import { distDir } from './_harness.js'

export interface Service {
  origin: string
  close(): Promise<void>
}

/** Starts the service with `config`; a string (the reason) when packages/server cannot be loaded. */
export async function startService(config: Record<string, unknown>, staticDir: string = distDir): Promise<Service | string> {
  let server: any
  try {
    // A computed specifier: the server's sources are loaded at run time (through tsx), not type-checked with ours.
    const entry = new URL('../../server/src/index.ts', import.meta.url).href
    server = await import(entry)
  } catch (e) {
    return `packages/server could not be loaded: ${e instanceof Error ? e.message : String(e)}`
  }
  if (typeof server.createApp !== 'function' || typeof server.resolveConfig !== 'function') return 'packages/server does not export createApp/resolveConfig'
  const resolved = server.resolveConfig(config, { env: {} })
  const app = await server.createApp({ config: resolved, logger: false, staticDir })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = app.server.address().port
  return { origin: `http://127.0.0.1:${port}`, close: () => app.close() }
}
