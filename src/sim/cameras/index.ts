export { SyntheticCameras, DARK_DETAIL, type SyntheticCamerasOptions, type SyntheticStartOptions } from './synthetic.js'
export { CameraEye, identify, TRACK_GAP_MS, type FrameContext } from './frame.js'
export { DEFAULT_NOISE, noiseOptions, type NoiseInput, type NoiseOptions } from './noise.js'
export { faceBox, inView, FACE_WIDTH_M, MIN_FACE_PX, type Box } from './view.js'
