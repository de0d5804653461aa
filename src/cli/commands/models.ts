import type { Command } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import { checkModelFile, DEFAULT_SPECS, installModels, modelDir, type Progress } from '../../vision/models/index.js'

/** Progress bars on a terminal, one line per file elsewhere (CI logs). */
function progressReporter(): Progress & { finish(): void } {
  const tty = process.stderr.isTTY
  let bar: SingleBar | undefined
  let current = ''
  return {
    line: (text) => console.error(text),
    bytes: (file, done, total) => {
      if (file !== current) {
        bar?.stop()
        current = file
        if (tty) {
          bar = new SingleBar({ format: `  ${file.padEnd(18)} [{bar}] {percentage}% {value}/{total} bytes`, stream: process.stderr }, Presets.shades_classic)
          bar.start(total, 0)
        } else console.error(`  ${file} (${total} bytes)`)
      }
      bar?.update(done)
    },
    finish: () => bar?.stop(),
  }
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('the face models: install the default pack into the cache, check it')
  models
    .command('install')
    .description(`fetch the default model pack (npm package ${'faceplugin-face-recognition-js@0.0.1'}) into the cache and check every file's sha256; offline once cached`)
    .option('--dir <dir>', 'cache folder (default: $VENUE_MODEL_DIR or ~/.cache/venue-sentinel/models/...)')
    .action(async (opts: { dir?: string }) => {
      const progress = progressReporter()
      try {
        const report = await installModels(progress, opts.dir ?? modelDir())
        progress.finish()
        console.error(`models in ${report.dir}: ${report.installed.length} installed, ${report.cached.length} already cached and verified`)
      } catch (err) {
        progress.finish()
        console.error(`model install failed: ${(err as Error).message}`)
        process.exitCode = 1
      }
    })
  models
    .command('check')
    .description('verify the cached model files against their pinned sha256')
    .option('--dir <dir>', 'cache folder')
    .action(async (opts: { dir?: string }) => {
      const dir = opts.dir ?? modelDir()
      let bad = 0
      for (const spec of Object.values(DEFAULT_SPECS)) {
        const check = await checkModelFile(spec, dir)
        console.log(check.ok ? `ok       ${spec.role.padEnd(10)} ${spec.file}` : `${check.problem.padEnd(8)} ${check.detail}`)
        if (!check.ok) bad++
      }
      if (bad > 0) process.exitCode = 1
    })
}
