import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url))
