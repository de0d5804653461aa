"""A real RTSP server for the tests: Debian's GStreamer RTSP server relaying pre-encoded H.264 files
without re-encoding, so the encoder never eats the cores a test measures.

usage: /usr/bin/python3 server.py PORT NAME=FILE.mp4 [NAME=FILE.mp4 ...]
Prints "ready" on stdout once listening. Each mount is shared by its clients; when a file ends,
its clients see the stream end (as with a camera that restarts).
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port, mounts = sys.argv[1], sys.argv[2:]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
for mount in mounts:
    name, path = mount.split("=", 1)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( filesrc location={path} ! qtdemux ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 )"
    )
    factory.set_shared(True)
    server.get_mount_points().add_factory("/" + name, factory)
if server.attach(None) == 0:
    print(f"cannot listen on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
