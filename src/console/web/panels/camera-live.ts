import { isRecord } from '../data/narrow.js'

/**
 * The live view of one camera, from WebSocket /api/cameras/:id/live. The wire format is decided
 * here only (src/console/README.md): each binary message is one whole JPEG frame, shown through an
 * object URL; text messages say how the stream is ({type:'status', state, detail}). Another format
 * (MPEG-1 for jsmpeg, say) replaces this module and nothing else.
 */
export class CameraLive {
  private ws: WebSocket | null = null
  private url: string | null = null
  frames = 0
  lastFrameAt = 0

  constructor(
    private readonly camera: string,
    private readonly img: HTMLImageElement,
    private readonly onEnd: (why: string) => void,
    private readonly onStatus: (text: string) => void,
  ) {}

  start(): void {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws'
    const ws = new WebSocket(`${proto}://${location.host}/api/cameras/${encodeURIComponent(this.camera)}/live`)
    ws.binaryType = 'blob'
    this.ws = ws
    this.onStatus('connecting')
    ws.onmessage = (ev: MessageEvent<unknown>): void => {
      if (typeof ev.data === 'string') return this.status(ev.data)
      if (!(ev.data instanceof Blob)) return
      const next = URL.createObjectURL(new Blob([ev.data], { type: 'image/jpeg' }))
      this.img.src = next
      // free the previous frame once the new one replaced it
      if (this.url !== null) URL.revokeObjectURL(this.url)
      this.url = next
      this.frames++
      this.lastFrameAt = performance.now()
    }
    ws.onclose = (ev: CloseEvent): void => {
      if (this.ws !== ws) return
      this.ws = null
      this.onEnd(ev.reason || (ev.code === 1000 ? 'ended' : `closed (${ev.code})`))
    }
  }

  private status(text: string): void {
    let m: unknown
    try {
      m = JSON.parse(text)
    } catch {
      return
    }
    if (!isRecord(m) || m['type'] !== 'status' || typeof m['state'] !== 'string') return
    this.onStatus(typeof m['detail'] === 'string' ? `${m['state']}: ${m['detail']}` : m['state'])
  }

  stop(): void {
    const ws = this.ws
    this.ws = null
    ws?.close()
    if (this.url !== null) URL.revokeObjectURL(this.url)
    this.url = null
    this.img.removeAttribute('src')
  }
}
