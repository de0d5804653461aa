/** Read one secret: without echo on a terminal, else the first line of standard input. */
export async function readSecret(prompt: string): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) {
    const chunks: Buffer[] = []
    for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim()
  }
  process.stderr.write(prompt)
  input.setRawMode(true)
  input.resume()
  let secret = ''
  try {
    for await (const chunk of input) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return secret
        if (ch === '\u0003') throw new Error('cancelled')
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1)
        else secret += ch
      }
    }
    return secret
  } finally {
    input.setRawMode(false)
    input.pause()
    process.stderr.write('\n')
  }
}
