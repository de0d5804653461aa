import { ApiError, getJson, send } from './data/api.js'
import { isRecord } from './data/narrow.js'
import { byId } from './dom.js'

export interface Session { user: string; role: string }

function parseSession(v: unknown): Session | null {
  if (!isRecord(v) || typeof v['user'] !== 'string' || typeof v['role'] !== 'string') return null
  return { user: v['user'], role: v['role'] }
}

/** The current session, or null when the cookie is missing or expired (401). */
export async function currentSession(): Promise<Session | null> {
  try {
    return parseSession(await getJson('/api/session'))
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null
    throw err
  }
}

/** Show the login form until the server accepts a user; resolves with the session. */
export function askLogin(): Promise<Session> {
  const dialog = byId('login', HTMLElement)
  const form = byId('login-form', HTMLFormElement)
  const out = byId('login-message', HTMLParagraphElement)
  const user = byId('login-user', HTMLInputElement)
  const pass = byId('login-password', HTMLInputElement)
  dialog.hidden = false
  document.body.dataset['view'] = 'login'
  user.focus()
  return new Promise((resolve) => {
    const submit = async (ev: SubmitEvent): Promise<void> => {
      ev.preventDefault()
      out.textContent = 'signing in…'
      try {
        const s = parseSession(await send('POST', '/api/session', { username: user.value, password: pass.value }))
        if (s === null) throw new ApiError(500, 'the server answered without a user')
        pass.value = ''
        out.textContent = ''
        dialog.hidden = true
        form.removeEventListener('submit', listener)
        resolve(s)
      } catch (err) {
        out.textContent = err instanceof ApiError ? (err.status === 401 ? 'wrong user name or password' : err.message) : 'no connection to the console server'
      }
    }
    const listener = (ev: SubmitEvent): void => void submit(ev)
    form.addEventListener('submit', listener)
  })
}

export async function logout(): Promise<void> {
  try {
    await send('DELETE', '/api/session')
  } finally {
    location.reload()
  }
}
