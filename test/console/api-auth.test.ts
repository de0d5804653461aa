import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AuditLog, openDatabase } from '../../src/store/index.js'
import { startConsoleRig, type ConsoleRig } from './rig.js'

/** Sessions, roles and audited reveals of the console API, against a real broker and SQLite file. */
const t = suite('console API: sessions and roles')
let rig: ConsoleRig

t.before(async () => {
  rig = await startConsoleRig()
})
t.after(async () => {
  await rig.stop()
})

t('every API route but login and the OpenAPI document needs a session: 401 with a JSON error', async () => {
  for (const path of ['/api/session', '/api/venue', '/api/alerts', '/api/tracks', '/api/robots', '/api/missions', '/api/cameras', '/api/audit', '/api/users', '/api/telemetry', '/api/nowhere']) {
    const r = await rig.api(path)
    assert.is(r.status, 401, path)
    const body = (await r.json()) as { error?: unknown }
    assert.type(body.error, 'string', path)
  }
  const post = await rig.api('/api/subjects/sub-aaaa1111/reveal', { method: 'POST', body: { reason: 'just looking' } })
  assert.is(post.status, 401)
  const doc = await rig.api('/api/openapi.json')
  assert.is(doc.status, 200)
  const spec = (await doc.json()) as { openapi: string; paths: Record<string, unknown> }
  assert.match(spec.openapi, /^3\./)
  for (const p of ['/api/session', '/api/alerts', '/api/alerts/{id}/ack', '/api/missions', '/api/subjects/{id}/reveal', '/api/trajectories', '/api/users']) assert.ok(spec.paths[p], p)
})

t('a wrong password is 401; a right one sets an HttpOnly, SameSite=Strict session cookie', async () => {
  const bad = await rig.api('/api/session', { method: 'POST', body: { username: 'operator', password: 'guess' } })
  assert.is(bad.status, 401)
  const unknown = await rig.api('/api/session', { method: 'POST', body: { username: 'nobody', password: 'guess' } })
  assert.is(unknown.status, 401)
  const ok = await rig.api('/api/session', { method: 'POST', body: { username: 'operator', password: 'pw-operator' } })
  assert.is(ok.status, 200)
  assert.equal(await ok.json(), { user: 'operator', role: 'operator' })
  const cookie = ok.headers.get('set-cookie') ?? ''
  assert.match(cookie, /^venue_session=[A-Za-z0-9_-]{43};/)
  assert.match(cookie, /HttpOnly/)
  assert.match(cookie, /SameSite=Strict/)
  assert.match(cookie, /Path=\//)
  const session = cookie.split(';')[0] ?? ''
  const me = await rig.api('/api/session', { cookie: session })
  assert.equal(await me.json(), { user: 'operator', role: 'operator' })
  assert.is((await rig.api('/api/session', { method: 'DELETE', cookie: session })).status, 204)
  assert.is((await rig.api('/api/session', { cookie: session })).status, 401)
})

t('an operator cannot reveal identities, read the audit log or manage users (403)', async () => {
  const op = await rig.login('operator')
  assert.is((await rig.api('/api/subjects/sub-aaaa1111/reveal', { method: 'POST', cookie: op, body: { reason: 'checking the roster' } })).status, 403)
  assert.is((await rig.api('/api/audit', { cookie: op })).status, 403)
  assert.is((await rig.api('/api/users', { cookie: op })).status, 403)
  assert.is((await rig.api('/api/users', { method: 'POST', cookie: op, body: { name: 'eve', role: 'admin', password: 'long-enough-password' } })).status, 403)
  assert.is((await rig.api('/api/admin/reload', { method: 'POST', cookie: op })).status, 403)
  assert.is((await rig.api('/api/venue', { cookie: op })).status, 200)
})

t('a supervisor\'s reveal answers with the name and is in GET /api/audit and in the hash-chained AuditLog', async () => {
  const sup = await rig.login('supervisor')
  const short = await rig.api('/api/subjects/sub-aaaa1111/reveal', { method: 'POST', cookie: sup, body: { reason: 'why' } })
  assert.is(short.status, 400, 'a reason of fewer than 5 characters is refused')
  const r = await rig.api('/api/subjects/sub-aaaa1111/reveal', { method: 'POST', cookie: sup, body: { reason: 'alert a-17: wrong room, calling the expert' } })
  assert.is(r.status, 200)
  const who = (await r.json()) as { subject: string; name: string }
  assert.is(who.subject, 'sub-aaaa1111')
  assert.match(who.name, /\(demo\)$/)
  const audit = (await (await rig.api('/api/audit?limit=10', { cookie: sup })).json()) as Array<{ actor: string; action: string; subject: string; reason: string }>
  const entry = audit.find((e) => e.action === 'identity.reveal')
  assert.ok(entry)
  assert.is(entry.actor, 'supervisor')
  assert.is(entry.subject, 'sub-aaaa1111')
  assert.is(entry.reason, 'alert a-17: wrong room, calling the expert')
  const db = openDatabase(rig.dbFile, { mustExist: true })
  try {
    const log = new AuditLog(db)
    const stored = [...log.entries()].filter((e) => e.action === 'identity.reveal')
    assert.is(stored.length, 1)
    assert.is(stored[0]?.actor, 'supervisor')
    assert.equal(log.verify(), { ok: true, entries: log.head()?.seq ?? 0 })
  } finally {
    db.close()
  }
  const admin = await rig.login('admin')
  assert.is((await rig.api('/api/subjects/sub-aaaa1111/reveal', { method: 'POST', cookie: admin, body: { reason: 'admin curiosity' } })).status, 403, 'reveals are for supervisors only')
})

t('an admin adds a user who can log in, and removing them ends their session', async () => {
  const admin = await rig.login('admin')
  const add = await rig.api('/api/users', { method: 'POST', cookie: admin, body: { name: 'night-op', role: 'operator', password: 'correct-horse-battery' } })
  assert.is(add.status, 201)
  assert.is((await rig.api('/api/users', { method: 'POST', cookie: admin, body: { name: 'night-op', role: 'operator', password: 'correct-horse-battery' } })).status, 409)
  const list = (await (await rig.api('/api/users', { cookie: admin })).json()) as Array<{ name: string; source: string }>
  assert.equal(list.map((u) => `${u.name}:${u.source}`), ['admin:venue', 'night-op:console', 'operator:venue', 'supervisor:venue'])
  const night = await rig.login('night-op', 'correct-horse-battery')
  assert.is((await rig.api('/api/alerts', { cookie: night })).status, 200)
  assert.is((await rig.api('/api/users/operator', { method: 'DELETE', cookie: admin })).status, 400, 'venue-file users are removed in the file')
  assert.is((await rig.api('/api/users/night-op', { method: 'DELETE', cookie: admin })).status, 204)
  assert.is((await rig.api('/api/alerts', { cookie: night })).status, 401)
})

t('an admin reload of a broken venue file keeps the old venue and answers 400 with the problems', async () => {
  const admin = await rig.login('admin')
  const r = await rig.api('/api/admin/reload', { method: 'POST', cookie: admin })
  assert.is(r.status, 400)
  const body = (await r.json()) as { issues: string[] }
  assert.ok(body.issues.length > 0)
  const venue = (await (await rig.api('/api/venue', { cookie: admin })).json()) as { site: { id: string }; cameras: unknown[] }
  assert.is(venue.site.id, rig.venue.site.id)
  assert.is(venue.cameras.length, 3)
})

t('failed logins are limited: the sixth try within the window is 429 even with the right password (last: it locks admin out)', async () => {
  for (let i = 0; i < 5; i++) assert.is((await rig.api('/api/session', { method: 'POST', body: { username: 'admin', password: `wrong-${i}` } })).status, 401)
  const r = await rig.api('/api/session', { method: 'POST', body: { username: 'admin', password: 'pw-admin' } })
  assert.is(r.status, 429)
  assert.ok(r.headers.get('retry-after'))
})

t.run()
