const SOI = 0xd8
const EOI = 0xd9
const SOS = 0xda

/**
 * Cuts ffmpeg's image2pipe output (JPEGs back to back) into whole images. Header segments are
 * skipped by their length (their bytes, e.g. a coarse quantisation table, may hold FF D9); in the
 * entropy-coded data after SOS an FF is always followed by 00 (stuffing) or a restart marker, so the
 * first other marker there is EOI (or the next scan's header, in a progressive JPEG).
 */
export class JpegFrames {
  private buf: Buffer = Buffer.alloc(0)
  /** Where parsing of the current image resumes, and whether that is inside entropy-coded data. */
  private pos = 2
  private inScan = false

  constructor(
    private readonly onFrame: (jpeg: Buffer) => void,
    private readonly maxBytes = 8 << 20,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    for (;;) {
      if (this.buf.length < 2) return
      if (this.buf[0] !== 0xff || this.buf[1] !== SOI) {
        // out of step (should not happen): skip to the next start of image
        const next = this.buf.indexOf(Buffer.from([0xff, SOI]), 1)
        this.buf = next < 0 ? Buffer.alloc(0) : this.buf.subarray(next)
        this.restart()
        continue
      }
      const end = this.findEnd()
      if (end === undefined) {
        if (this.buf.length > this.maxBytes) {
          this.buf = Buffer.alloc(0)
          this.restart()
        }
        return
      }
      this.onFrame(Buffer.from(this.buf.subarray(0, end)))
      this.buf = this.buf.subarray(end)
      this.restart()
    }
  }

  private restart(): void {
    this.pos = 2
    this.inScan = false
  }

  /** The byte after this image's EOI, or undefined when it has not all arrived yet. */
  private findEnd(): number | undefined {
    const b = this.buf
    for (;;) {
      if (this.inScan) {
        let i = this.pos
        while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !((b[i + 1] ?? 0) >= 0xd0 && (b[i + 1] ?? 0) <= 0xd7))) i++
        if (i + 1 >= b.length) {
          this.pos = i
          return undefined
        }
        this.inScan = false
        this.pos = i
      }
      if (this.pos + 1 >= b.length) return undefined
      if (b[this.pos] !== 0xff) {
        this.pos++ // fill bytes are not expected from ffmpeg; step over anything else
        continue
      }
      const marker = b[this.pos + 1]
      if (marker === 0xff) {
        this.pos++
        continue
      }
      if (marker === EOI) return this.pos + 2
      if (this.pos + 3 >= b.length) return undefined
      const len = b.readUInt16BE(this.pos + 2)
      if (this.pos + 2 + len > b.length) return undefined
      this.pos += 2 + len
      if (marker === SOS) this.inScan = true
    }
  }
}
