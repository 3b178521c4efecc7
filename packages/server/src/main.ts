/**
 * `node packages/server/dist/main.js [--config FILE]` (and `npm start` at the repo root).
 * Without a config file, USERSIG_CONFIG or USERSIG_SDKAPPID it runs the embedded demo on 127.0.0.1:8080.
 */
import { ConfigError } from './config.js'
import { startServer } from './server.js'

function configArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a === '-c')
  if (i >= 0) return argv[i + 1]
  const eq = argv.find((a) => a.startsWith('--config='))
  return eq?.slice('--config='.length)
}

try {
  const configFile = configArg(process.argv.slice(2))
  await startServer(configFile !== undefined ? { configFile } : {})
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`usersig: ${e.message}\n`)
    process.exit(2)
  }
  const err = e as NodeJS.ErrnoException
  if (err.code === 'EADDRINUSE') {
    process.stderr.write(`usersig: the address is in use (${err.message.replace(/^.*EADDRINUSE:?\s*/, '')}); set PORT to another port\n`)
    process.exit(1)
  }
  process.stderr.write(`usersig: could not start: ${err.message}\n`)
  process.exit(1)
}
