#!/usr/bin/env node
// The compiled command line; `npm install` builds dist/ through the prepare script.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
