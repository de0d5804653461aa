import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Alert } from '../../src/contract/index.js'
import { Monitor } from '../../src/monitor/monitor.js'
import { silentLogger } from '../../src/shared/log.js'
import { AlertStore, AuditLog, openDatabase } from '../../src/store/index.js'
import { sleep } from '../helpers/mqtt.js'
import { password } from '../helpers/venue.js'
import { sampleAlert, startConsoleRig } from './rig.js'

/** The whole loop: a console user's acknowledge reaches the real monitor, which applies, audits and republishes it. */
test('an acknowledge from the console is applied by the monitor, audited with the console user, and comes back on the live state', async () => {
  const rig = await startConsoleRig()
  const open = sampleAlert('a-9', { floor: null, cameras: [] })
  const seed = openDatabase(rig.dbFile)
  new AlertStore(seed).upsert(open)
  seed.close()
  const monitor = new Monitor({ venue: rig.venue, url: rig.broker.tcpUrl, username: 'monitor', password: password('monitor'), dbFile: rig.dbFile, logger: silentLogger() })
  try {
    await monitor.start()
    const op = await rig.login('operator')
    const r = await rig.api('/api/alerts/a-9/ack', { method: 'POST', cookie: op, body: { note: 'seen it' } })
    assert.is(r.status, 202)
    let state = ''
    for (let i = 0; i < 100 && state !== 'acknowledged'; i++) {
      await sleep(50)
      const list = (await (await rig.api('/api/alerts', { cookie: op })).json()) as Alert[]
      state = list.find((a) => a.id === 'a-9')?.state ?? ''
    }
    assert.is(state, 'acknowledged')
    const db = openDatabase(rig.dbFile, { mustExist: true })
    try {
      assert.is(new AlertStore(db).get('a-9')?.acknowledged?.by, 'operator')
      const entry = [...new AuditLog(db).entries()].find((e) => e.action === 'alert.acknowledge')
      assert.is(entry?.actor, 'operator')
      assert.is(entry?.subject, 'a-9')
    } finally {
      db.close()
    }
  } finally {
    await monitor.stop()
    await rig.stop()
  }
})

test.run()
