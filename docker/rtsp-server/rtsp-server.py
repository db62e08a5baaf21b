#!/usr/bin/env python3
"""An RTSP server for tests and demos: GStreamer's RTSP server (gst-rtsp-server) serving each
clip of /clips as rtsp://HOST:8554/<name without extension>, the H.264 stream passed through
without re-encoding and paced by its timestamps, like a camera. Each client gets its own playback
from the clip's start; the stream ends with the clip (a camera restart, for the client).

Port 8555 is a camera that never answers: it accepts TCP connections and sends nothing.
"""
import os
import signal
import socket
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

CLIPS = os.environ.get("CLIPS_DIR", "/clips")
PORT = os.environ.get("RTSP_PORT", "8554")
SILENT_PORT = int(os.environ.get("SILENT_PORT", "8555"))


def silent_camera():
    """Accepts connections and holds them open without a byte: a camera that never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", SILENT_PORT))
    server.listen(64)
    held = []
    while True:
        conn, _ = server.accept()
        held.append(conn)


def main():
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_service(PORT)
    mounts = server.get_mount_points()
    names = []
    for f in sorted(os.listdir(CLIPS)):
        if not f.endswith(".mp4"):
            continue
        name = os.path.splitext(f)[0]
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            "( filesrc location=%s ! qtdemux "
            "! rtph264pay name=pay0 pt=96 config-interval=1 )" % os.path.join(CLIPS, f))
        factory.set_shared(False)
        mounts.add_factory("/" + name, factory)
        names.append(name)
    if not names:
        sys.exit("no .mp4 clip in " + CLIPS)
    server.attach(None)
    threading.Thread(target=silent_camera, daemon=True).start()
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print("RTSP server ready on port %s: %s; silent camera on port %d"
          % (PORT, ", ".join("/" + n for n in names), SILENT_PORT), flush=True)
    loop.run()


if __name__ == "__main__":
    main()
