import type { CameraState } from '../contract/index.js'
import type { Frame, SourceStatus } from './types.js'

/** A camera's health as the status topic tells it. */
export interface HealthReport {
  state: CameraState
  /** Epoch ms the state began. */
  since: number
  detail?: string
}

/** What the camera worker needs of the health analyser (health/ implements it). */
export interface HealthMonitor {
  observeFrame(frame: Frame, now: number): void
  observeSource(status: SourceStatus, now: number): void
  tick(now: number): void
  current(): HealthReport
  onChange(listener: (report: HealthReport) => void): void
}
