/**
 * The face book of pixel mode: which real photo (../shared/faces, next to the repository) stands for
 * which simulated person, the face pictures the renderer pastes, and the gallery the run's edge node
 * recognises them with.
 *
 * The photo set holds few identities (14) and a venue many people. The last identity in name order is
 * the stranger: enrolled for nobody, it is the face of every visitor and of every subject left without a
 * photo, so the edge reports them unknown, as it would any face it was not given. The others go to
 * subjects in the order the caller gives (pixel mode gives first the people its cameras will see first),
 * one identity each, deterministically. Each identity's largest face is the one rendered; every photo of
 * it is enrolled, so recognition meets another photo of the person as well as the rendered one.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { z } from 'zod'
import { packageRoot } from '../../shared/paths.js'
import type { Gallery, TemplateInput } from '../../vision/gallery/index.js'
import { decodeFile, FacePipeline, type Face } from '../../vision/index.js'
import type { Picture } from './picture.js'

/** The photo folder next to the repository (or installed package). */
export const defaultFacesDir = (): string => resolve(packageRoot(), '..', 'shared', 'faces')

const ManifestRow = z.object({
  identity: z.string().regex(/^[a-z0-9_]+$/),
  file: z.string().regex(/^[a-z0-9_]+\/[A-Za-z0-9_.-]+\.(jpg|jpeg|png)$/i),
})

/** Photos by identity, from the folder's MANIFEST.tsv (tab-separated, a header line first). */
export async function readManifest(dir: string): Promise<Map<string, string[]>> {
  const file = join(dir, 'MANIFEST.tsv')
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `pixel mode needs the face photos: ${file} not found` : `${file}: ${err.message}`)
  })
  const [header, ...lines] = text.trim().split('\n')
  const cols = (header ?? '').split('\t')
  const at = (name: string): number => {
    const i = cols.indexOf(name)
    if (i < 0) throw new Error(`${dir}/MANIFEST.tsv has no "${name}" column`)
    return i
  }
  const [iId, iFile] = [at('identity'), at('file')]
  const out = new Map<string, string[]>()
  for (const line of lines) {
    const f = line.split('\t')
    const row = ManifestRow.parse({ identity: f[iId], file: f[iFile] })
    out.set(row.identity, [...(out.get(row.identity) ?? []), join(dir, row.file)])
  }
  return out
}

export interface FaceAssignment {
  /** Subject -> identity. */
  bySubject: Map<string, string>
  /** The identity enrolled for nobody. */
  stranger: string
}

/** One identity per subject, in the given order, while identities last; the last identity is the stranger. */
export function assignFaces(identities: readonly string[], subjects: readonly string[]): FaceAssignment {
  const sorted = [...new Set(identities)].sort()
  const stranger = sorted.pop()
  if (stranger === undefined) throw new Error('no face identity to render')
  const bySubject = new Map<string, string>()
  for (const s of subjects) {
    if (bySubject.has(s)) continue
    const id = sorted[bySubject.size]
    if (id === undefined) break
    bySubject.set(s, id)
  }
  return { bySubject, stranger }
}

/** A face picture at one size, and where the face's centre lies in it. */
export interface FaceSprite {
  picture: Picture
  /** Face box centre inside the picture, pixels. */
  cx: number
  cy: number
}

/** An identity's rendered photo, cropped around its face, ready at a range of face widths. */
export class FaceSprites {
  constructor(private readonly bySize: ReadonlyMap<number, FaceSprite>, private readonly step: number) {}

  /** The sprite whose face is closest to `width` pixels wide. */
  at(width: number): FaceSprite {
    const sizes = [...this.bySize.keys()]
    const best = sizes.reduce((a, b) => (Math.abs(b - width) < Math.abs(a - width) ? b : a), sizes[0] ?? this.step)
    const s = this.bySize.get(best)
    if (s === undefined) throw new Error('a face with no sprite')
    return s
  }
}

/**
 * Around the face box: some hair above and chin below, so the detector sees a head, not a mask; little
 * enough that a nearer face, pasted over a farther one just above it, leaves that face whole.
 */
const MARGIN = { side: 0.2, top: 0.15, bottom: 0.15 }

interface Analysed {
  path: string
  face: Face
}

export interface FaceBookOptions {
  dir: string
  /** Subjects in the order they get a photo. */
  subjects: readonly string[]
  /** Face widths to prepare, pixels: from min to max by step. */
  widths: { min: number; max: number; step: number }
}

export class FaceBook {
  private constructor(
    readonly assignment: FaceAssignment,
    private readonly sprites: ReadonlyMap<string, FaceSprites>,
    private readonly templates: ReadonlyMap<string, TemplateInput[]>,
  ) {}

  /** Read the photos of the identities in use, find their faces, and prepare the sprites. */
  static async load(o: FaceBookOptions): Promise<FaceBook> {
    const manifest = await readManifest(o.dir)
    const assignment = assignFaces([...manifest.keys()], o.subjects)
    const used = [...new Set([...assignment.bySubject.values(), assignment.stranger])]
    const pipeline = await FacePipeline.open()
    const sprites = new Map<string, FaceSprites>()
    const templates = new Map<string, TemplateInput[]>()
    try {
      for (const identity of used) {
        const analysed: Analysed[] = []
        for (const path of manifest.get(identity) ?? []) {
          const face = mainFace((await pipeline.analyseFile(path)).faces)
          if (face !== undefined) analysed.push({ path, face })
        }
        const best = analysed.reduce<Analysed | undefined>((a, b) => (a === undefined || width(b.face) > width(a.face) ? b : a), undefined)
        if (best === undefined) throw new Error(`no face found in any photo of ${identity} in ${o.dir}`)
        sprites.set(identity, await spritesOf(best, o.widths))
        templates.set(identity, analysed.map((a, i) => ({ embedding: a.face.embedding!, source: `src-pixels-${i}`, quality: a.face.quality.score })))
      }
    } finally {
      await pipeline.close()
    }
    return new FaceBook(assignment, sprites, templates)
  }

  /** The face of a person: their subject's identity, else the stranger's. */
  spritesFor(subject: string | null): FaceSprites {
    const identity = (subject === null ? undefined : this.assignment.bySubject.get(subject)) ?? this.assignment.stranger
    const s = this.sprites.get(identity)
    if (s === undefined) throw new Error(`no sprites for ${identity}`)
    return s
  }

  /** Subjects that have a face of their own. */
  subjects(): string[] {
    return [...this.assignment.bySubject.keys()]
  }

  /** Enrol every subject with a face into the gallery (not saved). */
  enrol(gallery: Gallery): void {
    for (const [subject, identity] of this.assignment.bySubject) {
      const t = this.templates.get(identity)
      if (t !== undefined && t.length > 0) gallery.enrol(subject, t)
    }
  }
}

const width = (f: Face): number => f.box[2] - f.box[0]

/** The largest face that carries an embedding (the one a photo is about). */
function mainFace(faces: readonly Face[]): Face | undefined {
  return faces.filter((f) => f.embedding !== undefined).sort((a, b) => width(b) - width(a))[0]
}

async function spritesOf(a: Analysed, widths: FaceBookOptions['widths']): Promise<FaceSprites> {
  const frame = await decodeFile(a.path)
  const [x1, y1, x2, y2] = a.face.box
  const w = x2 - x1
  const h = y2 - y1
  const left = Math.max(0, Math.floor(x1 - MARGIN.side * w))
  const top = Math.max(0, Math.floor(y1 - MARGIN.top * h))
  const right = Math.min(frame.width, Math.ceil(x2 + MARGIN.side * w))
  const bottom = Math.min(frame.height, Math.ceil(y2 + MARGIN.bottom * h))
  const crop = sharp(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left, top, width: right - left, height: bottom - top })
  const cropped = await crop.raw().toBuffer({ resolveWithObject: true })
  const out = new Map<number, FaceSprite>()
  for (let fw = widths.min; fw <= widths.max; fw += widths.step) {
    const scale = fw / w
    const targetW = Math.max(1, Math.round(cropped.info.width * scale))
    const { data, info } = await sharp(cropped.data, { raw: { width: cropped.info.width, height: cropped.info.height, channels: 3 } })
      .resize({ width: targetW })
      .raw()
      .toBuffer({ resolveWithObject: true })
    const sx = info.width / cropped.info.width
    const sy = info.height / cropped.info.height
    out.set(fw, { picture: { data, width: info.width, height: info.height }, cx: ((x1 + x2) / 2 - left) * sx, cy: ((y1 + y2) / 2 - top) * sy })
  }
  return new FaceSprites(out, widths.step)
}
