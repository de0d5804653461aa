import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { LoginLimiter, SessionTable } from '../../src/console/server/sessions.js'

test('a session ends after the idle time without use, and each use pushes the end back', () => {
  let now = 0
  const t = new SessionTable(30 * 60_000, () => now)
  const token = t.create('operator', 'operator')
  now = 29 * 60_000
  assert.is(t.touch(token)?.user, 'operator')
  now = 58 * 60_000
  assert.is(t.touch(token)?.user, 'operator', 'used at 29 min: still live at 58')
  now = 89 * 60_000
  assert.is(t.touch(token), undefined)
  assert.is(t.touch('not-a-token'), undefined)
  const other = t.create('supervisor', 'supervisor')
  t.endUser('supervisor')
  assert.is(t.touch(other), undefined)
})

test('login limits: per address and user, then per address; a success clears the account count; the window passes', () => {
  let now = 0
  const l = new LoginLimiter(5, 30, 5 * 60_000, () => now)
  for (let i = 0; i < 5; i++) l.fail('10.0.0.1', 'admin')
  assert.ok(l.retryAfter('10.0.0.1', 'admin') > 0)
  assert.is(l.retryAfter('10.0.0.2', 'admin'), 0, 'the same user from elsewhere is not locked out')
  assert.is(l.retryAfter('10.0.0.1', 'operator'), 0)
  for (let i = 0; i < 25; i++) l.fail('10.0.0.1', `user-${i}`)
  assert.ok(l.retryAfter('10.0.0.1', 'operator') > 0, '30 failures from one address lock the address')
  now = 5 * 60_000 + 1
  assert.is(l.retryAfter('10.0.0.1', 'admin'), 0)
  l.fail('10.0.0.3', 'sup')
  l.succeed('10.0.0.3', 'sup')
  for (let i = 0; i < 4; i++) l.fail('10.0.0.3', 'sup')
  assert.is(l.retryAfter('10.0.0.3', 'sup'), 0)
})

test.run()
