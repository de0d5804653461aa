import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { formatProblem, parseVenue } from '../../config/index.js'
import { summarise } from '../summary.js'
import { calibrationReport, formatCalibrationEntry } from '../../config/homography.js'

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate a venue file and list every problem at once, with its path and line')
    .argument('<file>', 'venue file (YAML)')
    .action(async (file: string) => {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (err) {
        console.error(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
        process.exitCode = 1
        return
      }
      const { venue, problems } = parseVenue(text)
      if (venue === undefined) {
        for (const p of problems) console.error(formatProblem(p, file))
        console.error(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`)
        process.exitCode = 1
        return
      }
      console.log(`${file}: ok, ${summarise(venue)}`)
      for (const entry of calibrationReport(venue)) console.log(`  ${formatCalibrationEntry(entry)}`)
    })
}
