# curl on the local Debian base: the one-shot `register-connectors` service of docker-compose.yml
# (CURL_IMAGE=kvl-local/curl:1) where its public image cannot be pulled.
ARG BASE_IMAGE=kvl-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
