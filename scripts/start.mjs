#!/usr/bin/env node
// `npm start`: the issuing service with its console on an embedded default configuration (see packages/server).
// Falls back to the core demo if the service has not been built.
import { existsSync } from 'node:fs'
const main = new URL('../packages/server/dist/main.js', import.meta.url)
if (existsSync(main)) await import(main.href)
else await import('./demo.mjs')
