/** Camera health: online / stalled / offline / frozen / dark / tampered from frames and source states. */
export { CameraHealth, DEFAULT_HEALTH, type HealthMeasures, type HealthOptions } from './camera-health.js'
export { Latch } from './latch.js'
export { Thumbnailer, agreement, meanAbsDiff, type RgbImage, type Sample } from './thumbnail.js'
