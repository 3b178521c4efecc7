// Writes packages/server/usersig.config.schema.json from the built config schema (npm run config-schema -w packages/server,
// after a build). test/config-schema.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs'
import { configJsonSchema } from '../dist/config/schema.js'

writeFileSync(new URL('../usersig.config.schema.json', import.meta.url), JSON.stringify(configJsonSchema(), null, 2) + '\n')
