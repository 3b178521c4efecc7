#!/usr/bin/env node
// `npm start`: the issuing service with its console on an embedded default configuration (see packages/server).
// It never builds: `npm ci` already did (the root `prepare` script), so the service is ready in about a second.
// The service runs in this very process, so SIGTERM and Ctrl-C from npm reach it and nothing is left behind.
import { existsSync } from 'node:fs'

const main = new URL('../packages/server/dist/main.js', import.meta.url)
if (!existsSync(main)) {
  process.stderr.write('usersig: the service is not built (packages/server/dist is missing). `npm ci` builds it; or run `npm run build`.\n')
  process.exit(1)
}
await import(main.href)
