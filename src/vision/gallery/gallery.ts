/**
 * The expert gallery: subjects (pseudonymous ids) with several face templates each, kept encrypted in
 * one file in its folder, searched 1:N. `enrol` changes memory only (call `save`); the purges rewrite
 * the file before they resolve, so purged templates are gone from disk.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { decideFrom, DEFAULT_THRESHOLDS, type Decision, type Thresholds } from './decide.js'
import type { GalleryKey } from './keys.js'
import { TemplateIndex, type IndexOptions, type SearchOptions } from './search.js'
import { decodeDocument, encodeDocument, FORMAT_VERSION, seal, unseal, writeAtomic, type TemplateRecord } from './sealed.js'
import { DIMS } from './simhash.js'

export const GALLERY_FILE = 'gallery.enc'
export const SUBJECT_ID = /^sub-[a-z0-9]{4,32}$/
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/
const PHOTO_NAME = /\.(jpe?g|png|bmp|gif|webp|heic|tiff?)$/i

export interface TemplateInput {
  embedding: Float32Array | readonly number[]
  /** Pseudonymous origin, e.g. `sourceLabel(photoFileName)`; never a person's name. */
  source: string
  /** Face quality in [0, 1]. */
  quality: number
  rosterId?: string
  /** Default: a random `tpl-...` id. */
  id?: string
  /** Default: now. */
  createdAt?: Date | string
}

export interface Template extends TemplateRecord {
  subject: string
}

export interface SubjectMatch {
  subject: string
  /** Cosine similarity of the subject's best template. */
  score: number
  template: Template
}

export interface GalleryOptions extends IndexOptions, Partial<Thresholds> {}

export class GalleryError extends Error {
  override name = 'GalleryError'
}

/**
 * A pseudonymous source label for a photo file name: HMAC-SHA256 keyed with the gallery key (a plain
 * hash of "jane-doe.jpg" could be reversed by guessing names), first 16 hex characters.
 */
export function sourceLabel(fileName: string, key: GalleryKey): string {
  return 'src-' + createHmac('sha256', key.bytes).update(fileName, 'utf8').digest('hex').slice(0, 16)
}

/** The template id used when none is given. */
const newTemplateId = (): string => 'tpl-' + randomBytes(8).toString('hex')

function unitEmbedding(e: Float32Array | readonly number[], what: string): Float32Array {
  if (e.length !== DIMS) throw new GalleryError(`${what}: embedding has ${e.length} dimensions, expected ${DIMS}`)
  const v = new Float32Array(e)
  let s = 0
  for (let i = 0; i < DIMS; i++) s += v[i]! * v[i]!
  if (!Number.isFinite(s) || s === 0) throw new GalleryError(`${what}: embedding is zero or not finite`)
  const f = 1 / Math.sqrt(s)
  for (let i = 0; i < DIMS; i++) v[i]! *= f
  return v
}

export class Gallery {
  readonly path: string
  readonly thresholds: Thresholds
  private readonly index: TemplateIndex
  private records: Template[] = []
  private subjectIds: string[] = []
  private subjectIndex = new Map<string, number>()
  private templateIds = new Set<string>()
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    readonly dir: string,
    private readonly key: GalleryKey,
    options: GalleryOptions,
  ) {
    this.path = join(dir, GALLERY_FILE)
    this.index = new TemplateIndex(options)
    this.thresholds = {
      matchThreshold: options.matchThreshold ?? DEFAULT_THRESHOLDS.matchThreshold,
      margin: options.margin ?? DEFAULT_THRESHOLDS.margin,
    }
  }

  /**
   * Open the gallery in `dir` (created empty if it has no gallery file yet). One process writes a
   * gallery folder: temporary files left by an interrupted write (which may hold since-purged
   * templates) are deleted here.
   */
  static async open(dir: string, key: GalleryKey, options: GalleryOptions = {}): Promise<Gallery> {
    const g = new Gallery(dir, key, options)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    for (const name of await readdir(dir)) {
      if (name.startsWith(`${GALLERY_FILE}.`) && name.endsWith('.tmp')) await rm(join(dir, name), { force: true })
    }
    let file: Buffer
    try {
      file = await readFile(g.path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return g
      throw err
    }
    const plain = unseal(file, key, g.path)
    try {
      const { doc, embeddings } = decodeDocument(plain, g.path)
      let at = 0
      g.index.reserve(embeddings.length / DIMS)
      for (const s of doc.subjects) {
        g.enrolRecords(
          s.id,
          s.templates.map((t) => ({ ...t, embedding: embeddings.subarray(at * DIMS, ++at * DIMS) })),
        )
      }
      embeddings.fill(0)
    } finally {
      plain.fill(0)
    }
    return g
  }

  /** Number of templates. */
  get size(): number {
    return this.index.size
  }

  /** Enrolled subject ids (each has at least one template). */
  subjects(): string[] {
    return [...this.subjectIds]
  }

  templates(subject?: string): Template[] {
    return this.records.filter((r) => subject === undefined || r.subject === subject).map((r) => ({ ...r }))
  }

  /** Add templates for `subject` (in memory; `save` writes them). Returns what was enrolled. */
  enrol(subject: string, templates: readonly TemplateInput[]): Template[] {
    if (!SUBJECT_ID.test(subject)) throw new GalleryError(`subject id "${subject}" must match ${SUBJECT_ID}`)
    if (templates.length === 0) throw new GalleryError(`${subject}: enrol needs at least one template`)
    const now = new Date().toISOString()
    const checked = templates.map((t, i) => {
      const what = `${subject} template ${t.id ?? i}`
      if (!TOKEN.test(t.source) || PHOTO_NAME.test(t.source)) {
        throw new GalleryError(`${what}: source "${t.source}" must be a pseudonymous token without spaces, not a photo's file name (use sourceLabel())`)
      }
      if (!(t.quality >= 0 && t.quality <= 1)) throw new GalleryError(`${what}: quality must be in [0, 1]`)
      if (t.rosterId !== undefined && !TOKEN.test(t.rosterId)) throw new GalleryError(`${what}: roster id "${t.rosterId}" is not a token`)
      const id = t.id ?? newTemplateId()
      if (!TOKEN.test(id)) throw new GalleryError(`${what}: template id is not a token`)
      if (this.templateIds.has(id) || templates.some((o, j) => j < i && o.id === id)) throw new GalleryError(`${what}: template id already enrolled`)
      const createdAt = t.createdAt === undefined ? now : new Date(t.createdAt).toISOString()
      return { id, createdAt, source: t.source, quality: t.quality, rosterId: t.rosterId, embedding: unitEmbedding(t.embedding, what) }
    })
    return this.enrolRecords(subject, checked)
  }

  private enrolRecords(subject: string, templates: ReadonlyArray<TemplateRecord & { embedding: Float32Array }>): Template[] {
    let s = this.subjectIndex.get(subject)
    if (s === undefined) {
      s = this.subjectIds.push(subject) - 1
      this.subjectIndex.set(subject, s)
    }
    this.index.reserve(templates.length)
    return templates.map(({ embedding, ...meta }) => {
      const record: Template = { subject, id: meta.id, createdAt: meta.createdAt, source: meta.source, quality: meta.quality }
      if (meta.rosterId !== undefined) record.rosterId = meta.rosterId
      this.index.add(embedding, s)
      this.records.push(record)
      this.templateIds.add(record.id)
      return { ...record }
    })
  }

  /** Encrypt and write the whole gallery (atomically; writes are serialised). */
  save(): Promise<void> {
    const plain = this.encode()
    const sealed = seal(plain, this.key)
    plain.fill(0)
    const write = this.writing.then(() => writeAtomic(this.path, sealed))
    this.writing = write.catch(() => undefined)
    return write
  }

  /** Remove every template enrolled for `rosterId` and rewrite the file. Returns how many went. */
  purgeRoster(rosterId: string): Promise<number> {
    return this.purge((r) => r.rosterId === rosterId)
  }

  /** Remove every template of `subject` and rewrite the file. Returns how many went. */
  purgeSubject(subject: string): Promise<number> {
    return this.purge((r) => r.subject === subject)
  }

  private async purge(drop: (r: Template) => boolean): Promise<number> {
    const before = this.records.length
    const keptSubjects = new Map<number, number>()
    const kept = this.index.compact(
      (t) => !drop(this.records[t]!),
      (s) => keptSubjects.get(s) ?? keptSubjects.set(s, keptSubjects.size).get(s)!,
    )
    const records = kept.map((t) => this.records[t]!)
    this.records = records
    this.templateIds = new Set(records.map((r) => r.id))
    this.subjectIds = [...keptSubjects.entries()].sort((a, b) => a[1] - b[1]).map(([old]) => this.subjectIds[old]!)
    this.subjectIndex = new Map(this.subjectIds.map((id, i) => [id, i]))
    const removed = before - records.length
    if (removed > 0) await this.save()
    return removed
  }

  /** Best template per subject, best subjects first (default top 5). */
  search(embedding: Float32Array | readonly number[], options: SearchOptions = {}): SubjectMatch[] {
    const q = unitEmbedding(embedding, 'query')
    return this.index.search(q, options).map((h) => ({
      subject: this.subjectIds[h.subject]!,
      score: h.score,
      template: { ...this.records[h.template]! },
    }))
  }

  /** Name the subject when the best score clears the threshold and the margin over the next subject. */
  decide(embedding: Float32Array | readonly number[]): Decision {
    const hits = this.search(embedding, { topSubjects: 2 }).map((m) => ({ subject: m.subject, score: m.score, template: m.template.id }))
    return decideFrom(hits, this.thresholds)
  }

  private encode(): Buffer {
    const bySubject = new Map<number, number[]>()
    for (let t = 0; t < this.records.length; t++) {
      const s = this.index.subjectOf(t)
      const list = bySubject.get(s) ?? bySubject.set(s, []).get(s)!
      list.push(t)
    }
    const embeddings = [...bySubject.values()].flat().map((t) => this.index.embedding(t))
    const subjects = [...bySubject.entries()].map(([s, list]) => ({
      id: this.subjectIds[s]!,
      templates: list.map((t) => {
        const { subject: _subject, ...record } = this.records[t]!
        return record
      }),
    }))
    return encodeDocument({ format: FORMAT_VERSION, dims: DIMS, savedAt: new Date().toISOString(), subjects }, embeddings)
  }
}
