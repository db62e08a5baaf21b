# Toxiproxy (Shopify, Go module github.com/Shopify/toxiproxy/v2, cmd/server) for network faults in
# the system tests. build-local-images.sh compiles the server with the machine's Go from the Go
# module proxy into the build context; this only puts it on the local Debian base.
ARG BASE_IMAGE=kvl-local/debian:bookworm
FROM ${BASE_IMAGE}
COPY toxiproxy-server /usr/local/bin/toxiproxy-server
USER 65534:65534
EXPOSE 8474
CMD ["/usr/local/bin/toxiproxy-server", "-host", "0.0.0.0", "-port", "8474"]
