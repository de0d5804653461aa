import { z } from 'zod'

/** Identifiers appear in MQTT topics, so they may not contain topic separators or wildcards. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'an id is 1-64 letters, digits, "_", "." or "-", starting with a letter or digit')

/** A point on the floor plan, in metres: [x, y]. */
export const FloorPoint = z
  .tuple([z.number().finite(), z.number().finite()])
  .describe('floor position in metres: [x_m, y_m]')

/** A point in a camera image, in pixels: [u, v]. */
export const ImagePoint = z
  .tuple([z.number().finite().nonnegative(), z.number().finite().nonnegative()])
  .describe('image position in pixels: [u_px, v_px]')

export const Severity = z.enum(['info', 'low', 'medium', 'high', 'critical'])
export type Severity = z.infer<typeof Severity>

export const ZoneKind = z.enum([
  'entrance',
  'checkin',
  'corridor',
  'evaluation_room',
  'restroom',
  'dining',
  'kitchen',
  'staff',
  'dock',
  'exit',
  'restricted',
])
export type ZoneKind = z.infer<typeof ZoneKind>

export const Role = z.enum(['edge', 'robot', 'monitor', 'fleet', 'console', 'admin'])
export type Role = z.infer<typeof Role>

/** host:port to listen on; port 0 asks the OS for a free port (tests). */
export const Listener = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('address to bind; keep loopback unless the role runs on another machine'),
  port: z.number().int().min(0).max(65535).describe('TCP port; 0 picks a free one'),
})
