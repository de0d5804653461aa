import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseIdentityCsv } from '../../src/console/server/identities-csv.js'
import { AuditLog, IdentityStore, openDatabase } from '../../src/store/index.js'
import { tempDir } from '../helpers/mqtt.js'
import { fromRoot, venueBin } from '../helpers/paths.js'
import { run } from '../helpers/processes.js'

test('identity CSV: header by name, quoted fields, problems by line and nothing taken from a bad file', () => {
  const ok = parseIdentityCsv('\uFEFFname,subject,organisation\r\n"Li, Wei",sub-aaaa1111,"Design ""A"" Institute"\nZhang Min,sub-bbbb2222,\n')
  assert.ok(ok.ok)
  if (ok.ok) assert.equal(ok.rows, [
    { subject: 'sub-aaaa1111', name: 'Li, Wei', organisation: 'Design "A" Institute' },
    { subject: 'sub-bbbb2222', name: 'Zhang Min' },
  ])
  const bad = parseIdentityCsv('subject,name\nSUB-1,Someone\nsub-cccc3333,\nsub-dddd4444,A\nsub-dddd4444,B\n')
  assert.not.ok(bad.ok)
  if (!bad.ok) assert.equal(bad.problems.map((p) => p.slice(0, 7)), ['line 2:', 'line 3:', 'line 5:'])
  assert.not.ok(parseIdentityCsv('id,who\nsub-aaaa1111,X\n').ok)
})

test('venue identities import seals the names into the store with the identity key and audits the import', async () => {
  const dir = await tempDir('venue-ident-')
  try {
    const key = randomBytes(32)
    const csv = join(dir.path, 'experts.csv')
    writeFileSync(csv, 'subject,name,organisation\nsub-n8ooby,Chen Jing,City University of Technology\nsub-zzzz9999,Gao Bo,\n')
    const db = join(dir.path, 'store.sqlite')
    const r = await run(process.execPath, [venueBin, 'identities', 'import', csv, '-c', fromRoot('config/venues/demo.yaml'), '--db', db], {
      env: { ...process.env, VENUE_IDENTITY_KEY: key.toString('hex') },
    })
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /2 identities imported \(1 not in today's roster\)/)
    const d = openDatabase(db, { mustExist: true })
    try {
      const store = new IdentityStore(d, key)
      assert.equal(store.get('sub-n8ooby'), { name: 'Chen Jing', organisation: 'City University of Technology' })
      assert.equal(store.get('sub-zzzz9999'), { name: 'Gao Bo' })
      const raw = d.prepare<[], { sealed: Buffer }>('SELECT sealed FROM identities').all()
      assert.ok(raw.every((x) => !x.sealed.toString('latin1').includes('Chen')), 'names are not stored in the clear')
      assert.throws(() => new IdentityStore(d, randomBytes(32)).get('sub-n8ooby'), /sealed with key/)
      assert.ok([...new AuditLog(d).entries()].some((e) => e.action === 'identity.import'))
    } finally {
      d.close()
    }
  } finally {
    await dir.remove()
  }
})

test.run()
