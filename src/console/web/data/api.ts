import { isRecord } from './narrow.js'

/** A request the server refused; `status` 401 means the session has ended. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

let onUnauthorised: () => void = () => {}

/** Called once by the page: a 401 anywhere sends the user back to the login form. */
export function whenUnauthorised(f: () => void): void {
  onUnauthorised = f
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } }
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' }
    init.body = JSON.stringify(body)
  }
  const res = await fetch(path, init)
  if (res.status === 401 && path !== '/api/session') onUnauthorised()
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`
    try {
      const j: unknown = await res.json()
      if (isRecord(j) && typeof j['message'] === 'string') message = j['message']
      else if (isRecord(j) && typeof j['error'] === 'string') message = j['error']
    } catch {
      // not JSON: the status line says enough
    }
    throw new ApiError(res.status, message)
  }
  return res
}

export async function getJson(path: string): Promise<unknown> {
  const res = await request('GET', path)
  return (await res.json()) as unknown
}

export async function send(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const res = await request(method, path, body)
  const text = await res.text()
  if (text === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** List endpoints answer either a bare array or {items|alerts|robots|...: [...]}. */
export function listOf(v: unknown, key: string): unknown[] {
  if (Array.isArray(v)) return v
  if (isRecord(v)) {
    const inner = v[key] ?? v['items']
    if (Array.isArray(inner)) return inner
  }
  return []
}
