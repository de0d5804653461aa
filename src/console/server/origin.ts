import type { FastifyRequest } from 'fastify'

/**
 * A browser always sends Origin on a WebSocket; a page of another site must not ride on the staff's
 * cookie (cross-site WebSocket hijacking). Allowed: no Origin (not a browser, so no ambient cookie),
 * the console's own origin as the Host header names it, and the configured extra origins.
 */
export function originAllowed(req: FastifyRequest, extra: readonly string[]): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  const host = req.headers.host
  if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return true
  return extra.includes(origin)
}
