/**
 * Behind a TLS reverse proxy every request comes from the proxy's address. With the proxy named in
 * `console.http.trustedProxies`, login limits count each client's own address (X-Forwarded-For) and the
 * session cookie is Secure (X-Forwarded-Proto); without it, the headers are not believed, as anyone
 * could forge them.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startConsoleRig, type ConsoleRig } from './rig.js'

const t = suite('console behind a reverse proxy')

const login = (rig: ConsoleRig, client: string, password: string, proto = 'http'): Promise<Response> =>
  fetch(`${rig.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client, 'x-forwarded-proto': proto },
    body: JSON.stringify({ username: 'operator', password }),
  })

async function fiveFailures(rig: ConsoleRig, client: string): Promise<void> {
  for (let i = 0; i < 5; i++) assert.is((await login(rig, client, `wrong-${i}`)).status, 401)
}

t('a trusted proxy: one client locked out does not lock out another, and the cookie is Secure behind TLS', async () => {
  const rig = await startConsoleRig({}, { http: { trustedProxies: ['loopback'] } })
  try {
    await fiveFailures(rig, '203.0.113.5')
    assert.is((await login(rig, '203.0.113.5', 'pw-operator')).status, 429, 'the guessing client is limited')
    const other = await login(rig, '203.0.113.6', 'pw-operator', 'https')
    assert.is(other.status, 200, 'another client behind the same proxy is not')
    assert.match(other.headers.get('set-cookie') ?? '', /;\s*Secure/i)
  } finally {
    await rig.stop()
  }
})

t('no trusted proxy: forwarding headers are ignored, so a forged address does not escape the limit', async () => {
  const rig = await startConsoleRig()
  try {
    await fiveFailures(rig, '203.0.113.5')
    assert.is((await login(rig, '203.0.113.6', 'pw-operator')).status, 429)
  } finally {
    await rig.stop()
  }
})

t.run()
