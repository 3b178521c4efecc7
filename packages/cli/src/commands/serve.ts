/**
 * `usersig serve --config FILE`: runs the issuing service from @usersig/server. The server package owns configuration,
 * listening and shutdown; this only loads it (so the CLI works without it) and reports when it is missing or the config
 * is wrong.
 */
import { resolve } from 'node:path'
import { EXIT, type ExitCode, ExitError, ioError } from '../errors.js'
import { parseInteger } from '../options.js'

export interface ServeOptions {
  config?: string
  host?: string
  port?: string
}

/** The part of @usersig/server's startServer options the CLI sets. */
interface ServerModule {
  startServer(options: { configFile?: string; host?: string; port?: number }): Promise<{ url: string }>
}

function withoutPath(message: string, given: string | undefined): string {
  if (given === undefined || given === '') return message
  return message.split(resolve(given)).join('the --config file').split(given).join('the --config file')
}

export async function serve(opts: ServeOptions): Promise<ExitCode> {
  const options: Parameters<ServerModule['startServer']>[0] = {}
  if (opts.config !== undefined) options.configFile = opts.config
  if (opts.host !== undefined) options.host = opts.host
  if (opts.port !== undefined) options.port = parseInteger('--port', opts.port, 0, 65535)
  let server: ServerModule
  try {
    // A variable specifier keeps tsc from resolving the package at build time: it is optional for the CLI.
    const name = '@usersig/server'
    server = (await import(name)) as ServerModule
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err
    if (/@usersig\/server|[\\/]server[\\/]dist[\\/]/.test(message)) {
      throw ioError('the issuing service (@usersig/server) is not installed or not built', 'install it next to usersig (npm install @usersig/server), or in this repo run: npm run build -w packages/server')
    }
    throw ioError(`@usersig/server could not load: ${message.split('\n')[0] ?? ''}`, 'reinstall its dependencies (npm install)')
  }
  if (typeof server.startServer !== 'function') {
    throw ioError('@usersig/server has no startServer export', 'install a version of @usersig/server that matches this CLI')
  }
  try {
    await server.startServer(options)
  } catch (err) {
    // The service reports bad configuration with a ConfigError: a config problem, not a crash.
    // Its message may hold the path given to --config, which is not echoed (it may be a secret pasted by mistake).
    if (err instanceof Error && err.name === 'ConfigError') throw new ExitError(EXIT.io, withoutPath(err.message, opts.config), 'fix the config file; see packages/server/README.md')
    throw err
  }
  // The server keeps the process alive until it is told to stop; its own signal handlers own the shutdown.
  return EXIT.ok
}
