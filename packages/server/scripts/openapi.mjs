// Writes packages/server/openapi.json from the built service (npm run openapi -w packages/server, after a build).
import { writeFileSync } from 'node:fs'
import { openApiDocument } from '../dist/openapi.js'

writeFileSync(new URL('../openapi.json', import.meta.url), JSON.stringify(openApiDocument(), null, 2) + '\n')
