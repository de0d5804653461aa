/**
 * bench:monitor's broker, in a child process of its own (the machine has 2 cores, and the broker
 * validates every message): the bench script started with `--broker DATA_DIR`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { sleep, startBroker } from '../test/helpers/mqtt.js'
import { benchVenue } from './monitor-load.js'

export async function brokerChild(): Promise<void> {
  const dir = process.argv[3]
  if (dir === undefined) throw new Error('usage: monitor.js --broker DATA_DIR')
  const running = await startBroker(await benchVenue(), { dataDir: dir })
  process.stdout.write(JSON.stringify({ port: running.addresses.tcp.port }) + '\n')
  const stop = () => void running.broker.stop().then(() => {
    process.stdout.write(JSON.stringify({ counters: running.broker.counters }) + '\n', () => process.exit(0))
  })
  process.on('SIGTERM', stop)
  process.stdin.on('end', stop) // the parent went away
  process.stdin.resume()
}

export interface ChildBroker {
  url: string
  pid: number
  stop: () => Promise<{ refusedPublishes: number } | undefined>
}

export async function startChildBroker(script: string, dataDir: string): Promise<ChildBroker> {
  const child: ChildProcess = spawn(process.execPath, [script, '--broker', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })
  const queue: string[] = []
  const waiters: Array<(l: string) => void> = []
  lines.on('line', (l) => (waiters.length > 0 ? waiters.shift()!(l) : queue.push(l)))
  const nextLine = () => new Promise<string>((resolve, reject) => {
    if (queue.length > 0) return resolve(queue.shift()!)
    waiters.push(resolve)
    child.once('exit', (code) => reject(new Error(`broker process exited with ${code}`)))
  })
  const exited = new Promise((r) => child.once('exit', r))
  const { port } = JSON.parse(await nextLine()) as { port: number }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM')
      const last = await Promise.race([nextLine().catch(() => undefined), sleep(5000).then(() => undefined)])
      await exited
      return last === undefined ? undefined : (JSON.parse(last) as { counters: { refusedPublishes: number } }).counters
    },
  }
}
