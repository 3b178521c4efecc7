/**
 * Configuration: a JSON or YAML file, environment variables over it, validated at start.
 * `loadConfig` is what main.ts and `usersig serve` use; `resolveConfig` is for a config object in code (tests, embedding).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { generateSecretKey } from './core.js'
import { applyEnv, ConfigError, envWarnings, type Obj } from '@usersig/issuer'
import { ConfigSchema } from './config/schema.js'
import { validateConfig } from './config/validate.js'
import type { ServiceConfig } from './config/types.js'

export { ConfigError, ENV_VARS } from '@usersig/issuer'
export type * from './config/types.js'

type Env = Record<string, string | undefined>

/** Where `loadConfig` looks: an explicit file, else `USERSIG_CONFIG`, else the `USERSIG_*` variables, else the demo. */
export interface LoadConfigOptions {
  /** Path of a .json, .yaml or .yml file. Without it (and without USERSIG_CONFIG or USERSIG_SDKAPPID) the demo runs. */
  file?: string | undefined
  /** Environment (default process.env). */
  env?: Env
}

/** A resolved configuration and where it came from. */
export interface LoadedConfig {
  config: ServiceConfig
  /** Where it came from, for the banner: a file path, "environment" or "demo". */
  source: string
  /** The demo's data directory (demo only). */
  dataDir?: string
}

/** Validates a config object (what a config file holds) with the environment applied. */
export function resolveConfig(input: unknown, options: { env?: Env; baseDir?: string } = {}): ServiceConfig {
  const env = options.env ?? {}
  const config = validateConfig(applyEnv(input, env, { schema: ConfigSchema, resolvePath: (p) => resolve(p) }), { env, baseDir: options.baseDir ?? process.cwd() })
  config.warnings.push(...envWarnings(env))
  return config
}

export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase()
  try {
    if (ext === '.json') return JSON.parse(text)
    if (ext === '.yaml' || ext === '.yml') return parseYaml(text)
  } catch (e) {
    throw new ConfigError('config', `cannot parse ${file}: ${(e as Error).message.split('\n')[0]}`)
  }
  throw new ConfigError('config', `${file}: use a .json, .yaml or .yml file`)
}

/** Reads the service configuration from a file, USERSIG_CONFIG, or USERSIG_* variables (else the demo), validated. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env
  const file = options.file ?? (env['USERSIG_CONFIG'] || undefined)
  if (file !== undefined) {
    const path = resolve(file)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (e) {
      throw new ConfigError('config', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    return { config: resolveConfig(parseConfigText(text, path), { env, baseDir: dirname(path) }), source: path }
  }
  if (env['USERSIG_SDKAPPID']) return { config: resolveConfig({}, { env, baseDir: process.cwd() }), source: 'environment' }
  const dataDir = demoDataDir(env)
  return { config: demoConfig({ env, dataDir }), source: 'demo', dataDir }
}

/** The repo root (the directory whose package.json declares workspaces), or the cwd. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as Obj)['workspaces']) return dir
      } catch {
        // not ours; keep looking
      }
    }
    const up = dirname(dir)
    if (up === dir) return process.cwd()
    dir = up
  }
}

export const DEMO_SDKAPPID = 1400000000

/**
 * The embedded demo: one app with a generated secret kept in `<dataDir>/demo-secret-key` (mode 0600, so restarts
 * keep it), an admin API key in `<dataDir>/demo-admin-key`, the demo authenticator and in-memory limits.
 * It refuses to listen beyond loopback: the demo authenticator signs for whatever userId a caller names.
 */
export function demoConfig(options: { env?: Env; dataDir?: string } = {}): ServiceConfig {
  const env = options.env ?? process.env
  const dataDir = options.dataDir ?? demoDataDir(env)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const secretKeyFile = ensureSecretFile(join(dataDir, 'demo-secret-key'), generateSecretKey)
  const adminKeyFile = ensureSecretFile(join(dataDir, 'demo-admin-key'), () => `demo-admin-${randomBytes(24).toString('hex')}`)
  const input = {
    demo: true,
    apps: [{ sdkAppId: DEMO_SDKAPPID, name: 'demo', secretKeyFile }],
    auth: { demo: true, apiKeys: [{ name: 'demo-admin', keyFile: adminKeyFile, scopes: ['admin'] }] },
    policy: {
      privateMapKey: {
        rules: [
          { rooms: ['*'], roles: ['anchor'], privileges: 'anchor' },
          { rooms: ['*'], privileges: 'audience' },
        ],
      },
    },
  }
  try {
    return resolveConfig(input, { env, baseDir: dataDir })
  } catch (e) {
    // The loopback rule, reported against the variable that set the host.
    if (e instanceof ConfigError && e.field === 'server.host' && env['HOST']) throw new ConfigError('HOST (environment)', e.message.replace(/^config field "server.host": /, ''))
    throw e
  }
}

/** USERSIG_DATA_DIR, else `.data` at the repo root (git-ignored). */
export function demoDataDir(env: Env = process.env): string {
  return resolve(env['USERSIG_DATA_DIR'] || join(findRepoRoot(), '.data'))
}

function ensureSecretFile(path: string, make: () => string): string {
  if (!existsSync(path)) writeFileSync(path, make() + '\n', { mode: 0o600, flag: 'wx' })
  else if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
  return path
}
