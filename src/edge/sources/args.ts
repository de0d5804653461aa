/**
 * ffmpeg command lines for frame sources: one output side (decode, rate-limit, scale, RGB24 raw frames
 * on stdout) and an input side per kind of source (RTSP camera, file replay, raw arguments for tests).
 * Pure: building a command line does no I/O, so it is unit-tested as it is.
 */

export type SourceInput =
  | { kind: 'rtsp'; url: string; transport: 'tcp' | 'udp'; connect_timeout_ms: number }
  | { kind: 'file'; path: string; loop: boolean; realtime: boolean }
  /** Any ffmpeg input arguments (`-f lavfi -i testsrc2=...`): tests and inputs this module does not name. */
  | { kind: 'args'; args: string[]; label: string }

export interface SourceOutput {
  width: number
  height: number
  fps: number
}

/** RGB24 bytes of one frame. */
export const frameBytes = (o: SourceOutput): number => o.width * o.height * 3

export function inputArgs(input: SourceInput): string[] {
  switch (input.kind) {
    case 'rtsp':
      return [
        '-rtsp_transport', input.transport,
        // socket I/O timeout (µs): a camera that accepts TCP but never answers fails with ffmpeg's own
        // message instead of hanging; streaming stalls are caught earlier by the source's stall timer.
        '-timeout', String(Math.round(input.connect_timeout_ms * 1000)),
        // no demuxer buffering, no decoder frame threading (low_delay turns it off): each frame leaves
        // as soon as it is decoded instead of one frame per decoder thread later.
        '-fflags', 'nobuffer', '-flags', 'low_delay',
        // small probe: codec parameters come from the SDP and the first keyframe; 256 KB still holds a
        // 1080p IDR frame when a camera sends SPS/PPS only in-band.
        '-probesize', '262144', '-analyzeduration', '500000',
        '-i', input.url,
      ]
    case 'file':
      return [
        ...(input.realtime ? ['-re'] : []),
        ...(input.loop ? ['-stream_loop', '-1'] : []),
        '-i', input.path,
      ]
    case 'args':
      return [...input.args]
  }
}

export function outputArgs(o: SourceOutput): string[] {
  // fps before scale: frames over the rate are dropped before they cost a scale. format=rgb24 inside
  // the same scale filter does resize and colour conversion in one swscale pass. passthrough: the
  // muxer adds no duplicates of its own (the fps filter alone decides).
  return [
    '-an', '-sn', '-dn',
    '-vf', `fps=${o.fps},scale=${o.width}:${o.height},format=rgb24`,
    '-pix_fmt', 'rgb24', '-vsync', 'passthrough',
    '-f', 'rawvideo', 'pipe:1',
  ]
}

/** The whole command line after the ffmpeg binary. */
export function ffmpegArgs(input: SourceInput, output: SourceOutput): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', ...inputArgs(input), ...outputArgs(output)]
}

/** `rtsp://user:secret@host/...` -> `rtsp://***@host/...`: details and ids go out on the bus. */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@')
}

/** Drop ffmpeg's context prefix (`[tcp @ 0x55d0...] `) and credentials from a stderr line. */
export function cleanLine(line: string): string {
  return redact(line.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '').trim())
}

/** A readable label for a source input, safe to publish. */
export function describe(input: SourceInput): string {
  switch (input.kind) {
    case 'rtsp':
      return redact(input.url)
    case 'file':
      return input.path
    case 'args':
      return input.label
  }
}
