import { z } from 'zod'

export const IdentityRow = z.strictObject({
  subject: z.string().regex(/^sub-[a-z0-9]{4,32}$/, 'a subject id is sub- and 4-32 lower-case letters or digits'),
  name: z.string().trim().min(1).max(200),
  organisation: z.string().trim().max(200).optional(),
})
export type IdentityRow = z.infer<typeof IdentityRow>

/** RFC 4180 fields: commas, quoted fields with "" for a quote, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"', i++)
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') (row.push(field), (field = ''))
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field)
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}

/**
 * The identity directory file: a header `subject,name[,organisation]` then one row per subject.
 * Returns the rows, or the problems by line (nothing is imported from a file with any).
 */
export function parseIdentityCsv(text: string): { ok: true; rows: IdentityRow[] } | { ok: false; problems: string[] } {
  const [header, ...body] = parseCsv(text.replace(/^\uFEFF/, ''))
  const cols = (header ?? []).map((h) => h.trim().toLowerCase())
  const at = (name: string): number => cols.indexOf(name)
  if (at('subject') < 0 || at('name') < 0) return { ok: false, problems: ['line 1: the header must name the columns subject and name (organisation is optional)'] }
  const problems: string[] = []
  const rows: IdentityRow[] = []
  const seen = new Set<string>()
  body.forEach((r, i) => {
    const org = at('organisation') < 0 ? undefined : r[at('organisation')]
    const parsed = IdentityRow.safeParse({ subject: r[at('subject')]?.trim(), name: r[at('name')], ...(org === undefined || org.trim() === '' ? {} : { organisation: org }) })
    if (!parsed.success) problems.push(`line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`)
    else if (seen.has(parsed.data.subject)) problems.push(`line ${i + 2}: ${parsed.data.subject} appears twice`)
    else (seen.add(parsed.data.subject), rows.push(parsed.data))
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows }
}
