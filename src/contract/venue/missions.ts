import { z } from 'zod'
import { envelope, IdRef, Timestamp } from '../envelope.js'

export const MissionKind = z.enum(['guard', 'patrol', 'delivery', 'verify', 'dock'])

export const MissionRequest = z
  .discriminatedUnion('action', [
    z.strictObject({
      ...envelope,
      action: z.literal('start'),
      requestId: IdRef,
      kind: MissionKind,
      robot: IdRef.optional().describe('a robot to use; default: the fleet allocates'),
      nodes: z.array(IdRef).default([]).describe('patrol waypoints or the place to verify, as navigation nodes'),
      rooms: z.array(IdRef).default([]).describe('delivery: rooms to serve'),
      alertId: IdRef.optional().describe('verify: the alert that asked'),
      loop: z.boolean().default(false),
      snapshotAt: z.array(IdRef).default([]).describe('patrol: waypoints where the cameras that see them are asked for a snapshot'),
      requestedBy: z.string().min(1).max(64),
    }),
    z.strictObject({
      ...envelope,
      action: z.literal('cancel'),
      requestId: IdRef,
      missionId: IdRef,
      requestedBy: z.string().min(1).max(64),
    }),
  ])
  .describe('Ask the fleet to start or cancel a mission (console, rules, schedules).')
export type MissionRequest = z.infer<typeof MissionRequest>

export const MissionState = z
  .strictObject({
    ...envelope,
    missionId: IdRef,
    requestId: IdRef.nullable(),
    kind: MissionKind,
    robot: IdRef.nullable(),
    state: z.enum(['queued', 'assigned', 'running', 'paused', 'completed', 'failed', 'cancelled']),
    step: z.string().max(200).default('').describe('what it is doing now, in words'),
    progress: z.number().min(0).max(1).default(0),
    startedAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    reason: z.string().max(500).optional().describe('why it failed or was cancelled'),
  })
  .describe('Retained: the latest state of one mission.')
export type MissionState = z.infer<typeof MissionState>

export const RobotFaultKind = z.enum(['stuck', 'lost', 'low_battery', 'mission_failed', 'disconnected', 'fatal_error'])
export type RobotFaultKind = z.infer<typeof RobotFaultKind>

export const RobotStatus = z
  .strictObject({
    ...envelope,
    robot: IdRef,
    kind: z.enum(['guard', 'patrol', 'delivery']),
    connection: z.enum(['online', 'offline', 'connectionbroken']),
    mode: z.enum(['idle', 'mission', 'charging', 'docking', 'fault', 'paused']),
    battery_pct: z.number().min(0).max(100).nullable(),
    floor: z.tuple([z.number(), z.number()]).nullable(),
    theta_rad: z.number().nullable(),
    node: IdRef.nullable().describe('last navigation node reached'),
    mission: IdRef.nullable(),
    errors: z.array(z.string().max(200)).default([]).describe('error texts the robot reports, for people'),
    faults: z
      .array(
        z.strictObject({
          kind: RobotFaultKind,
          since: Timestamp,
          detail: z.string().max(500).default(''),
        }),
      )
      .default([])
      .describe('faults the fleet has found, by kind; an empty list means healthy (robot_fault rules read this)'),
  })
  .describe('Retained: the fleet\'s summary of one robot, for the console and the monitor.')
export type RobotStatus = z.infer<typeof RobotStatus>
