import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net'
import { WebSocketServer, createWebSocketStream } from 'ws'
import type { Aedes } from 'aedes'

export interface Bound {
  host: string
  port: number
}

function bound(addr: AddressInfo | string | null): Bound {
  if (addr === null || typeof addr === 'string') throw new Error('listener has no TCP address')
  return { host: addr.address, port: addr.port }
}

function listen(server: NetServer | HttpServer, host: string, port: number): Promise<Bound> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`))
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve(bound(server.address()))
    })
  })
}

function close(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** MQTT over plain TCP. */
export class TcpListener {
  private server: NetServer | undefined
  private readonly sockets = new Set<import('node:net').Socket>()

  constructor(
    private readonly aedes: Aedes,
    private readonly host: string,
    private readonly port: number,
  ) {}

  async start(): Promise<Bound> {
    this.server = createNetServer((socket) => {
      this.sockets.add(socket)
      socket.once('close', () => this.sockets.delete(socket))
      this.aedes.handle(socket)
    })
    return listen(this.server, this.host, this.port)
  }

  async stop(): Promise<void> {
    if (this.server === undefined) return
    for (const s of this.sockets) s.destroy()
    await close(this.server)
    this.server = undefined
  }
}

/** MQTT over WebSocket (subprotocol "mqtt", as MQTT 3.1.1 section 6 asks). */
export class WsListener {
  private http: HttpServer | undefined
  private wss: WebSocketServer | undefined

  constructor(
    private readonly aedes: Aedes,
    private readonly host: string,
    private readonly port: number,
    private readonly path: string,
  ) {}

  async start(): Promise<Bound> {
    this.http = createHttpServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n')
    })
    this.wss = new WebSocketServer({
      server: this.http,
      path: this.path,
      maxPayload: 64 * 1024 * 1024,
      handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
    })
    this.wss.on('connection', (ws, req) => {
      const stream = createWebSocketStream(ws)
      stream.on('error', () => ws.terminate())
      this.aedes.handle(stream, req)
    })
    return listen(this.http, this.host, this.port)
  }

  async stop(): Promise<void> {
    if (this.wss !== undefined) {
      for (const c of this.wss.clients) c.terminate()
      await new Promise<void>((resolve) => this.wss?.close(() => resolve()))
      this.wss = undefined
    }
    if (this.http !== undefined) {
      await close(this.http)
      this.http = undefined
    }
  }
}
