"""A real RTSP server for the simulator's pixel mode and the tests: Debian's GStreamer RTSP server.

usage: /usr/bin/python3 rtsp-server.py PORT NAME=SOURCE [NAME=SOURCE ...]
  SOURCE is FILE.mp4: an H.264 file relayed without re-encoding (the encoder never eats the cores a
         test measures); when it ends, its clients see the stream end (as with a camera that restarts);
  or rtp:UDPPORT: a live H.264 RTP stream (payload type 96) arriving on 127.0.0.1:UDPPORT (the
         simulator's ffmpeg encoders send there), relayed without re-encoding.
Prints "ready" on stdout once listening. Each mount is shared by its clients.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

# config-interval=-1: SPS/PPS before every keyframe, so a client that joins late decodes at the next one
PAY = "h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96"


def launch(source):
    if source.startswith("rtp:"):
        port = int(source[4:])
        # RTP marks where each frame ends, so a frame leaves as soon as it is in (MPEG-TS would wait
        # for the next frame's start); no jitter buffer: on loopback packets come in order. Buffers are
        # stamped on arrival. A 4 MB socket buffer rides out a busy main loop without losing packets.
        return (
            f'( udpsrc address=127.0.0.1 port={port} buffer-size=4194304 '
            f'caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96" '
            f"! rtph264depay ! {PAY} )"
        )
    return f"( filesrc location={source} ! qtdemux ! {PAY} )"


Gst.init(None)
port, mounts = sys.argv[1], sys.argv[2:]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
for mount in mounts:
    name, source = mount.split("=", 1)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch(source))
    factory.set_shared(True)
    server.get_mount_points().add_factory("/" + name, factory)
if server.attach(None) == 0:
    print(f"cannot listen on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
