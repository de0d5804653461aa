import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { connectAsync } from 'mqtt'
import { fromRoot, venueBin } from '../helpers/paths.js'
import { startProcess } from '../helpers/processes.js'
import { sleep } from '../helpers/mqtt.js'

/** `venue up` as the README runs it, on the built-in demo venue: it warns about dev secrets and serves MQTT. */
test('venue up starts the demo venue with its monitor, fleet, console and simulator, warns about its public secrets, accepts a demo principal and stops on SIGTERM', async () => {
  const proc = startProcess(process.execPath, [venueBin, 'up', '--port', '0', '--console-port', '0', '--memory'], { env: { ...process.env, VENUE_LOG_PRETTY: '0' } })
  try {
    let port: number | undefined
    for (let i = 0; i < 200 && port === undefined; i++) {
      await sleep(50)
      for (const line of proc.output().split('\n')) {
        if (!line.startsWith('{')) continue
        const entry = JSON.parse(line) as { msg?: string; tcp?: { port: number } }
        if (entry.msg === 'broker listening' && entry.tcp !== undefined) port = entry.tcp.port
      }
    }
    assert.ok(port !== undefined, `no "broker listening" line in:\n${proc.output()}`)
    for (let i = 0; i < 200 && !proc.output().includes('"msg":"monitor running"'); i++) await sleep(50)
    assert.match(proc.output(), /"role":"monitor".*"msg":"monitor running"/)
    for (let i = 0; i < 200 && !proc.output().includes('"msg":"fleet running"'); i++) await sleep(50)
    assert.match(proc.output(), /"role":"fleet".*"robots":5.*"msg":"fleet running"/)
    for (let i = 0; i < 400 && !proc.output().includes('"msg":"simulator running"'); i++) await sleep(50)
    assert.match(proc.output(), /"role":"console".*"msg":"console listening"/)
    assert.match(proc.output(), /"role":"sim".*"robots":5.*"msg":"simulator running"/)
    assert.match(proc.output(), /PUBLIC DEVELOPMENT SECRETS IN USE/)
    assert.match(proc.output(), /site demo: 20 zones/)
    const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'monitor', password: 'dev-monitor', reconnectPeriod: 0 })
    await client.subscribeAsync('venue/v1/demo/#', { qos: 1 })
    await client.endAsync()
  } finally {
    await proc.stop()
  }
  assert.is(proc.child.exitCode, 0, proc.output())
})

test('venue up with a broken venue file names the problems and exits 1', async () => {
  const proc = startProcess(process.execPath, [venueBin, 'up', '--config', fromRoot('test/fixtures/venues/ten-mistakes.yaml')])
  await new Promise((r) => proc.child.once('exit', r))
  assert.is(proc.child.exitCode, 1)
  assert.match(proc.output(), /10 problems/)
})

test.run()
