import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromRoot, venueBin } from '../helpers/paths.js'
import { run } from '../helpers/processes.js'
import { verifySecret } from '../../src/broker/passwords.js'

const venue = (...args: string[]) => run(process.execPath, [venueBin, ...args], { timeout_ms: 30_000 })

test('venue check on the demo venue exits 0 with a one-line summary', async () => {
  const r = await venue('check', fromRoot('config/venues/demo.yaml'))
  assert.is(r.code, 0, r.stderr)
  const lines = r.stdout.trim().split('\n')
  assert.match(lines[0]!, /ok, site demo: \d+ zones \(8 evaluation rooms\), \d+ cameras, 5 robots, 40 experts in 4 projects/)
  // then each camera's calibration error (issue 5: reported by venue check)
  const calibration = lines.slice(1)
  assert.is(calibration.length, 14)
  for (const line of calibration) assert.match(line, /^  cam-\d+: reprojection rms [\d.]+ mm, max [\d.]+ mm over \d+ pairs$/)
})

test('venue check lists ten mistakes as ten located messages and exits 1', async () => {
  const file = fromRoot('test/fixtures/venues/ten-mistakes.yaml')
  const r = await venue('check', file)
  assert.is(r.code, 1)
  const lines = r.stderr.trim().split('\n')
  assert.is(lines.at(-1), `${file}: 10 problems`)
  const problems = lines.slice(0, -1)
  assert.is(problems.length, 10, r.stderr)
  for (const line of problems) assert.match(line, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: [a-z][\\w.\\[\\]]+: .+`), line)
})

test('venue check on schema mistakes names each path, including unknown keys', async () => {
  const r = await venue('check', fromRoot('test/fixtures/venues/schema-mistakes.yaml'))
  assert.is(r.code, 1)
  assert.match(r.stderr, /unknown key/)
})

test('venue check on a missing file says so and exits 1', async () => {
  const r = await venue('check', fromRoot('test/fixtures/venues/no-such-file.yaml'))
  assert.is(r.code, 1)
  assert.match(r.stderr, /cannot read: ENOENT/)
})

test('venue passwd hashes a secret from standard input that the broker accepts', async () => {
  const r = await run(process.execPath, [venueBin, 'passwd'], { input: 'correct horse battery\n' })
  assert.is(r.code, 0, r.stderr)
  const hash = r.stdout.trim()
  assert.match(hash, /^scrypt\$16384\$8\$1\$/)
  assert.ok(await verifySecret('correct horse battery', hash))
  assert.not.ok(await verifySecret('correct horse battery!', hash))
})

test('venue passwd refuses a short secret', async () => {
  const r = await run(process.execPath, [venueBin, 'passwd'], { input: 'short\n' })
  assert.is(r.code, 1)
  assert.match(r.stderr, /at least 8 characters/)
})

test('venue acl prints a Mosquitto ACL for every principal of the demo', async () => {
  const r = await venue('acl', '--config', fromRoot('config/venues/demo.yaml'))
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^user edge-1$/m)
  assert.match(r.stdout, /^topic write venue\/v1\/demo\/cameras\/[\w-]+\/sightings$/m)
  assert.match(r.stdout, /^user console\ntopic write venue\/v1\/demo\/commands\/alerts$/m)
})

test.run()
