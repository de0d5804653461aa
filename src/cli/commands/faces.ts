import { basename } from 'node:path'
import type { Command } from 'commander'
import { Presets, SingleBar } from 'cli-progress'
import { FacePipeline, type Face } from '../../vision/index.js'
import { createGalleryKeyFile, Gallery, loadGalleryKey, sourceLabel, type GalleryKey } from '../../vision/gallery/index.js'

interface KeyFlags {
  keyFile?: string
}

const keyFrom = (flags: KeyFlags): GalleryKey => loadGalleryKey(flags.keyFile === undefined ? {} : { file: flags.keyFile })

/** The face to enrol or identify in a photo: the largest one that passed the quality gate. */
export function mainFace(faces: readonly Face[]): Face | undefined {
  const area = (f: Face) => (f.box[2] - f.box[0]) * (f.box[3] - f.box[1])
  return faces.filter((f) => f.embedding !== undefined).sort((a, b) => area(b) - area(a))[0]
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits

export function registerFaces(program: Command): void {
  const gallery = program.command('gallery').description('the encrypted expert gallery')
  gallery
    .command('keygen')
    .description('write a new random gallery key to FILE (mode 0600); keep it out of the venue file and away from the gallery')
    .argument('<file>')
    .action((file: string) => {
      createGalleryKeyFile(file)
      console.error(`wrote a new gallery key to ${file}`)
    })

  program
    .command('enroll')
    .description('enrol a subject from photos: one template per photo with a usable face')
    .requiredOption('--gallery <dir>', 'gallery folder')
    .requiredOption('--subject <id>', 'pseudonymous subject id (sub-...)')
    .option('--key-file <file>', 'gallery key file (default: $VENUE_GALLERY_KEY)')
    .option('--roster <id>', 'roster the templates belong to, for purging when its retention ends')
    .argument('<photos...>')
    .action(async (photos: string[], flags: KeyFlags & { gallery: string; subject: string; roster?: string }) => {
      const key = keyFrom(flags)
      const store = await Gallery.open(flags.gallery, key)
      const pipeline = await FacePipeline.open()
      const bar = process.stderr.isTTY && photos.length > 1 ? new SingleBar({ format: '  enrolling [{bar}] {value}/{total} photos', stream: process.stderr }, Presets.shades_classic) : undefined
      bar?.start(photos.length, 0)
      const templates = []
      let failed = 0
      try {
        for (const photo of photos) {
          try {
            const result = await pipeline.analyseFile(photo)
            const face = mainFace(result.faces)
            if (face?.embedding === undefined) {
              const reasons = result.faces.map((f) => f.quality.reasons.join('+')).join(', ')
              console.error(`${photo}: no usable face${result.faces.length > 0 ? ` (${reasons})` : ''}`)
              failed++
            } else {
              templates.push({ embedding: face.embedding, quality: face.quality.score, source: sourceLabel(basename(photo), key), ...(flags.roster === undefined ? {} : { rosterId: flags.roster }) })
            }
          } catch (err) {
            console.error(`${photo}: ${(err as Error).message}`)
            failed++
          }
          bar?.increment()
        }
      } finally {
        bar?.stop()
        await pipeline.close()
      }
      if (templates.length > 0) {
        store.enrol(flags.subject, templates)
        await store.save()
      }
      console.error(`${flags.subject}: ${templates.length} template${templates.length === 1 ? '' : 's'} enrolled, ${failed} photo${failed === 1 ? '' : 's'} skipped`)
      if (templates.length === 0) process.exitCode = 1
    })

  program
    .command('identify')
    .description('print one JSON line per photo: the faces found, the best subject or "unknown", similarity and liveness')
    .requiredOption('--gallery <dir>', 'gallery folder')
    .option('--key-file <file>', 'gallery key file (default: $VENUE_GALLERY_KEY)')
    .argument('<photos...>')
    .action(async (photos: string[], flags: KeyFlags & { gallery: string }) => {
      const store = await Gallery.open(flags.gallery, keyFrom(flags))
      const pipeline = await FacePipeline.open()
      try {
        for (const photo of photos) {
          try {
            const result = await pipeline.analyseFile(photo)
            const faces = result.faces.map((f) => {
              const decision = f.embedding === undefined ? undefined : store.decide(f.embedding)
              return {
                box: f.box.map((v) => Math.round(v)),
                subject: decision?.subject ?? 'unknown',
                similarity: decision === undefined ? null : round(decision.score),
                liveness: f.liveness === undefined ? null : round(f.liveness),
                quality: round(f.quality.score),
                ...(f.quality.passed ? {} : { rejected: f.quality.reasons }),
              }
            })
            const main = mainFace(result.faces)
            const best = main === undefined ? undefined : faces[result.faces.indexOf(main)]
            console.log(JSON.stringify({ photo, faces, subject: best?.subject ?? 'unknown', similarity: best?.similarity ?? null, liveness: best?.liveness ?? null }))
          } catch (err) {
            console.log(JSON.stringify({ photo, error: (err as Error).message }))
            process.exitCode = 1
          }
        }
      } finally {
        await pipeline.close()
      }
    })
}
