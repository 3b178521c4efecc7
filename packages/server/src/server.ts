/**
 * startServer: config → listening service with its shutdown and reload. Used by main.ts (`npm start`) and by the
 * CLI's `usersig serve --config FILE`.
 *
 * Shutdown order: (1) /readyz answers 503 SHUTTING_DOWN, while requests are still served (with `Connection: close`);
 * (2) wait `server.drainDelay` so load balancers take the instance out; (3) stop accepting, close idle keep-alive
 * connections, let the requests being handled finish, then cut what is left (clients still sending a request);
 * (4) close the rate-limit store and flush logs; (5) exit 0.
 * If (3) takes longer than `server.shutdownTimeout`, the remaining connections are cut and the exit code is 1.
 */
import { relative } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { createApp } from './app.js'
import { ConfigError, loadConfig, type LoadedConfig } from './config.js'
import { isLoopbackHost } from '@usersig/issuer'
import type { ServiceConfig } from './config/types.js'
import { createLogger } from './logger.js'

/** What `startServer` takes: where the config comes from, and overrides for the listener, logging and signals. */
export interface StartServerOptions {
  /** A .json/.yaml config file. Without it: USERSIG_CONFIG, else USERSIG_SDKAPPID & co, else the demo. */
  configFile?: string
  /** Environment (default process.env). */
  env?: Record<string, string | undefined>
  /** Overrides for the listener. */
  host?: string
  /** The port to listen on (0: any free port). */
  port?: number
  /** A pino logger to use instead of the one the config describes. */
  logger?: Logger
  /** Install SIGTERM/SIGINT (drain and exit) and SIGHUP (reload) handlers. Default true. */
  handleSignals?: boolean
  /** Where the startup banner goes. Default: stderr. False: no banner. */
  banner?: false | ((text: string) => void)
  /** Directory of the web console (default: packages/console/dist if built). */
  staticDir?: string | null
}

/** A listening service, as `startServer` returns it: its address, and the reload and shutdown a program may trigger. */
export interface RunningServer {
  /** The listening Fastify app; `app.usersig` is its UserSigService. */
  app: FastifyInstance
  /** http://host:port */
  url: string
  /** The config the service started with (after `reload`, `app.usersig.config` holds the one in force). */
  config: ServiceConfig
  /** Drains and stops (see the order above). Resolves to true when every request finished in time. */
  close(): Promise<boolean>
  /** Re-reads the config (same sources as at start) and swaps it in without dropping requests. Throws ConfigError. */
  reload(): ServiceConfig
}

/** Loads the config, builds the app and listens; the returned server reloads and closes in the documented order. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env
  const load = (): LoadedConfig => loadConfig({ file: options.configFile, env })
  const loaded = load()
  const config = loaded.config
  if (options.host !== undefined) config.server.host = options.host
  if (config.auth.demo && !isLoopbackHost(config.server.host)) {
    throw new ConfigError('host', 'the demo authenticator accepts any caller as any userId, so it only listens on 127.0.0.1, ::1 or localhost')
  }
  if (options.port !== undefined) config.server.port = options.port
  const logger = options.logger ?? createLogger({ level: config.log.level })
  const app = await createApp({ config, logger, defaultMetrics: true, ...(options.staticDir !== undefined ? { staticDir: options.staticDir } : {}) })
  await app.listen({ host: config.server.host, port: config.server.port })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : config.server.port
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host
  const url = `http://${host}:${port}`
  logger.info({ url, source: loaded.source === 'demo' ? 'demo' : loaded.source === 'environment' ? 'environment' : 'file', apps: app.usersig.apps() }, 'listening')
  if (options.banner !== false) (options.banner ?? ((t: string) => process.stderr.write(t)))(banner(url, loaded))

  let closing: Promise<boolean> | undefined
  const close = (): Promise<boolean> => {
    closing ??= (async () => {
      const cfg = app.usersig.config.server
      const deadline = Date.now() + (cfg.drainDelay + cfg.shutdownTimeout) * 1000
      logger.info({ drainDelay: cfg.drainDelay, shutdownTimeout: cfg.shutdownTimeout }, 'shutting down: /readyz fails, requests are still served during the drain delay')
      app.usersig.beginShutdown()
      if (cfg.drainDelay > 0) await sleep(cfg.drainDelay * 1000)
      // Stop accepting; idle keep-alive connections are closed now, busy ones after their answer (Connection: close).
      const closed = app.close()
      let done = await waitIdle(app, deadline)
      // What is left: connections with no request being handled (idle, or a client still sending its headers or
      // body). Waiting for them would let any slow client hold the exit; they are cut.
      app.server.closeAllConnections()
      done = (await withDeadline(closed.then(() => true), deadline)) && done
      if (!done) {
        logger.warn('shutdown timeout: closing the remaining connections')
        app.server.closeAllConnections()
      }
      logger.info({ clean: done }, 'stopped')
      logger.flush()
      return done
    })()
    return closing
  }

  const reload = (): ServiceConfig => {
    const next = load().config
    const restart = app.usersig.reload(next)
    logger.info({ apps: app.usersig.apps() }, 'config reloaded')
    if (restart.length) logger.warn({ settings: restart }, 'these settings change only with a restart')
    return next
  }

  if (options.handleSignals ?? true) {
    // Ctrl-C under `npm start` delivers SIGINT twice at once (the terminal's, and npm's forward): only a SIGINT that
    // comes at least a second after the first means "stop now".
    let stopAt = 0
    const onStop = (signal: string) => {
      if (closing) {
        if (signal === 'SIGINT' && Date.now() - stopAt >= 1000) process.exit(1)
        return
      }
      stopAt = Date.now()
      void close().then((clean) => process.exit(clean ? 0 : 1))
    }
    process.on('SIGTERM', () => onStop('SIGTERM'))
    process.on('SIGINT', () => onStop('SIGINT'))
    process.on('SIGHUP', () => {
      try {
        reload()
      } catch (e) {
        logger.error({ error: (e as Error).message }, 'config reload failed; keeping the running config')
      }
    })
  }
  return { app, url, config, close, reload }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** `p`'s value, or false once `deadline` (ms since the epoch) has passed. */
async function withDeadline(p: Promise<boolean>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((res) => {
    timer = setTimeout(() => res(false), Math.max(0, deadline - Date.now()))
    timer.unref()
  })
  try {
    return await Promise.race([p, late])
  } finally {
    clearTimeout(timer)
  }
}

/** True once every request whose body has arrived has been answered, false at the deadline. */
function waitIdle(app: FastifyInstance, deadline: number): Promise<boolean> {
  return withDeadline(app.usersig.whenIdle().then(() => true), deadline)
}

export function banner(url: string, loaded: LoadedConfig): string {
  const c = loaded.config
  const lines = [
    '',
    `usersig service listening on ${url}`,
    `  console   ${url}/`,
    `  API       ${url}/openapi.json   (POST /v1/usersig, /v1/private-map-key; GET /healthz /readyz /metrics)`,
    `  config    ${loaded.source === 'demo' ? 'embedded demo (no config file)' : loaded.source}`,
    `  apps      ${c.apps.map((a) => `${a.sdkAppId} "${a.name}" (${a.algorithm})`).join(', ')}`,
    `  auth      ${[c.auth.demo && 'DEMO', c.auth.jwt && 'jwt', c.auth.trustedHeader && 'trusted header', c.auth.forwardAuth && 'forward auth', c.auth.apiKeys.length && `${c.auth.apiKeys.length} API key(s)`].filter(Boolean).join(', ') || 'none'}`,
    `  limits    ${c.rateLimit.enabled ? `${c.rateLimit.store}, ${c.rateLimit.perUser ? `${c.rateLimit.perUser.limit}/${c.rateLimit.perUser.window}s per user` : 'no per-user limit'}, ${c.rateLimit.perIp ? `${c.rateLimit.perIp.limit}/${c.rateLimit.perIp.window}s per address` : 'no per-address limit'}` : 'off'}`,
  ]
  if (c.demo) {
    const rel = loaded.dataDir ? relative(process.cwd(), loaded.dataDir) : '.data'
    const dir = rel === '' ? '.' : rel.startsWith('..') ? loaded.dataDir! : rel
    lines.push(
      '',
      '  !!! DEMO MODE: the demo authenticator signs for ANY userId a caller names. It only listens on loopback. !!!',
      `  The demo app's generated key is in ${dir}/demo-secret-key (kept across restarts); the admin API key is in ${dir}/demo-admin-key.`,
      `  Try:  curl -s -X POST ${url}/v1/usersig -H 'authorization: Bearer demo:alice' -H 'content-type: application/json' -d '{}'`,
      '  A real app: usersig serve --config usersig.config.yaml, or',
      '              USERSIG_SDKAPPID=<id> USERSIG_SECRET_KEY_FILE=<file> USERSIG_JWT_SECRET_FILE=<file> npm start',
      '              (every setting: docs/service.md)',
    )
  }
  return lines.join('\n') + '\n\n'
}
