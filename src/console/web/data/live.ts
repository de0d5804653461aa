import { parseLiveMessage } from './live-messages.js'
import type { Store } from './store.js'

const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 10_000
/** A live socket that says nothing this long is treated as dead (tracks come several times a second). */
const SILENCE_MS = 15_000

/**
 * The live WebSocket: messages into the store; when it drops, the page says so and tries again
 * with growing, jittered waits. `onConnected` runs on every (re)connection, once the socket is
 * open, so a snapshot fetched then misses nothing the socket would have said before.
 */
export class Live {
  private ws: WebSocket | null = null
  private retry_ms = FIRST_RETRY_MS
  private timer: number | undefined
  private watchdog: number | undefined
  private everOpened = false
  private closed = false
  private heardAt = 0

  constructor(private readonly store: Store, private readonly onConnected: () => void, private readonly onRefused: () => void) {}

  open(): void {
    this.closed = false
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`
    const ws = new WebSocket(url)
    this.ws = ws
    this.store.setConnection(this.everOpened ? 'lost' : 'connecting', null)
    ws.onopen = (): void => {
      this.retry_ms = FIRST_RETRY_MS
      this.heardAt = performance.now()
      this.everOpened = true
      this.store.setConnection('live')
      this.onConnected()
    }
    ws.onmessage = (ev: MessageEvent<unknown>): void => {
      this.heardAt = performance.now()
      if (typeof ev.data !== 'string') return
      const m = parseLiveMessage(ev.data)
      if (m !== null) this.store.apply(m, performance.now())
    }
    ws.onclose = (ev: CloseEvent): void => {
      if (this.ws !== ws) return
      this.ws = null
      if (this.closed) return
      // 4401 / 1008: the server refuses this session; logging in again is the way back
      if (ev.code === 4401 || ev.code === 1008) return this.onRefused()
      this.schedule()
      void this.checkSession()
    }
    this.armWatchdog()
  }

  close(): void {
    this.closed = true
    window.clearTimeout(this.timer)
    window.clearInterval(this.watchdog)
    this.ws?.close()
    this.ws = null
  }

  /** A refused upgrade (401) looks like any dropped socket to the page: ask whether the session still stands. */
  private async checkSession(): Promise<void> {
    try {
      const res = await fetch('/api/session', { credentials: 'same-origin' })
      if (res.status === 401) {
        this.close()
        this.onRefused()
      }
    } catch {
      // the server is unreachable: keep retrying the socket
    }
  }

  private schedule(): void {
    const wait = this.retry_ms * (0.75 + Math.random() * 0.5)
    this.retry_ms = Math.min(MAX_RETRY_MS, this.retry_ms * 2)
    this.store.setConnection(this.everOpened ? 'lost' : 'connecting', Date.now() + wait)
    window.clearTimeout(this.timer)
    this.timer = window.setTimeout(() => this.open(), wait)
  }

  private armWatchdog(): void {
    window.clearInterval(this.watchdog)
    this.watchdog = window.setInterval(() => {
      const ws = this.ws
      if (ws === null || ws.readyState !== WebSocket.OPEN) return
      if (performance.now() - this.heardAt > SILENCE_MS) {
        // a half-open TCP connection never fires close by itself: drop it and reconnect
        this.ws = null
        ws.close()
        this.schedule()
      }
    }, 2000)
  }
}
