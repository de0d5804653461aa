/** A real VictoriaMetrics (Debian's), which accepts the InfluxDB v2 write API, for telemetry tests. */
import * as assert from 'uvu/assert'
import { sleep, tempDir } from './mqtt.js'
import { freePort, startProcess, waitForPort, type Proc } from './processes.js'

const VM = '/usr/bin/victoria-metrics'

export interface Vm {
  port: number
  url: string
  proc: Proc
  remove: () => Promise<void>
}

const running: Vm[] = []

export async function startVm(port?: number): Promise<Vm> {
  const p = port ?? (await freePort())
  const dir = await tempDir('venue-vm-')
  const proc = startProcess(VM, ['-search.latencyOffset=0s', '-storageDataPath', dir.path, '-httpListenAddr', `127.0.0.1:${p}`, '-loggerLevel', 'ERROR'])
  const vm = { port: p, url: `http://127.0.0.1:${p}`, proc, remove: dir.remove }
  running.push(vm)
  try {
    await waitForPort(p, 10_000)
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${proc.output()}`)
  }
  return vm
}

export interface Series {
  metric: Record<string, string>
  values: number[]
  timestamps: number[]
}

export async function exportSeries(vm: Vm, match: string): Promise<Series[]> {
  await fetch(`${vm.url}/internal/force_flush`).catch(() => undefined)
  const res = await fetch(`${vm.url}/api/v1/export?match[]=${encodeURIComponent(match)}`)
  assert.is(res.status, 200, `export ${match}: ${await res.clone().text()}`)
  const text = await res.text()
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Series)
    .sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric)))
}

/** Poll the export until `want` series are there (VictoriaMetrics makes new series searchable within ~1 s). */
export async function waitSeries(vm: Vm, match: string, want: number, timeout_ms = 8000): Promise<Series[]> {
  const deadline = Date.now() + timeout_ms
  for (;;) {
    const s = await exportSeries(vm, match)
    if (s.length >= want || Date.now() > deadline) return s
    await sleep(150)
  }
}

/** Stop every VictoriaMetrics these helpers started and remove its data. */
export async function stopAllVms(): Promise<void> {
  for (const vm of running.splice(0)) {
    await vm.proc.stop()
    await vm.remove()
  }
}
