/**
 * Per-camera multi-object tracking (ByteTrack family), pure and hardware-free. See README.md.
 */
export { Tracker, type Detection, type ExtraCost, type TrackerOptions, type TrackSnapshot, type TrackState } from './bytetrack.js'
export { BoxKalman, DEFAULT_KALMAN, type KalmanParams } from './kalman.js'
export { assign, hungarian, type Assignment } from './assignment.js'
