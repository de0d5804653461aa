/** A problem found in a venue file, located by its path in the document (and line, where known). */
export interface Problem {
  path: ReadonlyArray<string | number>
  message: string
  line?: number
  column?: number
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = ''
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`
  }
  return out === '' ? '(root)' : out
}

export function formatProblem(p: Problem, file?: string): string {
  const where = p.line === undefined ? '' : `${file ?? ''}:${p.line}${p.column === undefined ? '' : `:${p.column}`}: `
  return `${where}${formatPath(p.path)}: ${p.message}`
}

/** Thrown by loaders when a venue file cannot be used; carries every problem, not just the first. */
export class VenueFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` + problems.map((p) => '  ' + formatProblem(p, file)).join('\n'))
    this.name = 'VenueFileError'
  }
}
