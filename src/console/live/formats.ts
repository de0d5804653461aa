/**
 * ffmpeg command lines for the console's live view. One ffmpeg per camera reads its RTSP stream and
 * writes one of three outputs; the bench (bench/console-live.ts) measures all three, the console
 * serves `jpeg` (src/console/README.md says why).
 */
export type LiveFormat = 'jpeg' | 'mpeg1' | 'fmp4'

export interface LiveOutput {
  format: LiveFormat
  /** Output width; the height keeps the aspect (even, for the encoders). Ignored by fmp4 (no re-encode). */
  width_px: number
  /** JPEG frames per second. MPEG-1 only allows fixed rates, so it always runs at 25. */
  fps: number
  /** JPEG qscale, 2 (best) to 31. */
  quality: number
}

function rtspInput(url: string): string[] {
  return [
    '-rtsp_transport', 'tcp',
    // socket timeout (µs): a camera that stops answering ends ffmpeg, and the relay retries
    '-timeout', '5000000',
    '-fflags', 'nobuffer', '-flags', 'low_delay',
    '-i', url,
  ]
}

function output(o: LiveOutput): string[] {
  switch (o.format) {
    case 'jpeg':
      // fps before scale: dropped frames cost no scaling; image2pipe writes the JPEGs back to back
      return ['-an', '-vf', `fps=${o.fps},scale=${o.width_px}:-2`, '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', String(o.quality), '-f', 'image2pipe', 'pipe:1']
    case 'mpeg1':
      // what jsmpeg decodes: MPEG-1 video in MPEG-TS, no B-frames (they add a frame of delay)
      return ['-an', '-vf', `scale=${o.width_px}:-2`, '-c:v', 'mpeg1video', '-b:v', '1000k', '-bf', '0', '-r', '25', '-f', 'mpegts', 'pipe:1']
    case 'fmp4':
      // the camera's own H.264, repackaged as fragmented MP4 for Media Source Extensions: no decoding
      return ['-an', '-c:v', 'copy', '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', 'pipe:1']
  }
}

export function liveArgs(url: string, o: LiveOutput): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', ...rtspInput(url), ...output(o)]
}

/** `rtsp://user:secret@host/...` -> `rtsp://***@host/...`, for logs and status messages. */
export const redactUrl = (text: string): string => text.replace(/(rtsps?:\/\/)[^/@\s]+@/gi, '$1***@')
