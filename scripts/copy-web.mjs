// Copy the console page's static files (HTML, CSS) next to its compiled scripts in dist/web.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const from = join(root, 'src', 'console', 'web')
const to = join(root, 'dist', 'web')
mkdirSync(to, { recursive: true })
for (const name of readdirSync(from)) {
  if (name.endsWith('.html') || name.endsWith('.css')) copyFileSync(join(from, name), join(to, name))
}
