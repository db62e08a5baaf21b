# A real RTSP server playing the sample clips as cameras, for the system tests and demos:
# GStreamer's RTSP server (Debian's gir1.2-gst-rtsp-server-1.0) with a short launcher,
# docker/rtsp-server/rtsp-server.py. rtsp://HOST:8554/bottle-detection, rtsp://HOST:8554/car-detection;
# port 8555 accepts connections and never answers (a dead camera).
#
#   docker build -f docker/rtsp-server.Dockerfile -t kvl-local/rtsp-server:1 .   (context: repo root)

ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-gi gir1.2-gst-rtsp-server-1.0 \
      gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /clips rtsp
COPY samples/bottle-detection.mp4 samples/car-detection.mp4 /clips/
COPY docker/rtsp-server/rtsp-server.py /usr/local/bin/rtsp-server.py
USER 10001:10001
EXPOSE 8554 8555
CMD ["python3", "-u", "/usr/local/bin/rtsp-server.py"]
