/** Frame sources: cameras and replays decoded by ffmpeg into pooled RGB frames (see ffmpeg.ts). */
export { FfmpegSource, fileSource, rtspSource, type FileOptions, type RtspOptions, type SourceOptions } from './ffmpeg.js'
export { ffmpegArgs, redact, type SourceInput, type SourceOutput } from './args.js'
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js'
export { FramePool, FrameReader } from './pool.js'
