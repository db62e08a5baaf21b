package io.kvl.connect.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the {@code cameras} list, {@code id=url}: the camera id (the record key and the
 * source partition) and where FFmpeg reads the camera.
 *
 * @param id letters, digits, {@code .}, {@code _} and {@code -}; at most 128 characters
 * @param url an absolute URL with one of the {@link #SCHEMES}
 */
public record CameraSpec(String id, URI url) {
    /** URL schemes accepted: FFmpeg protocols for cameras, and files for demos and tests. */
    public static final Set<String> SCHEMES =
            Set.of("rtsp", "rtsps", "http", "https", "tcp", "file");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public CameraSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
    }

    /**
     * Parses {@code id=url}.
     *
     * @throws IllegalArgumentException with a message that never shows the URL's user info
     */
    public static CameraSpec parse(String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("expected id=url, got '" + redact(entry) + "'");
        }
        String id = entry.substring(0, equals).trim();
        String text = entry.substring(equals + 1).trim();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "camera id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-'");
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "camera '" + id + "': not a URL: " + redact(text) + " (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException(
                    "camera '"
                            + id
                            + "': URL scheme '"
                            + scheme
                            + "' is not one of "
                            + SCHEMES.stream().sorted().toList());
        }
        if (scheme.equals("file")) {
            if (url.isOpaque() || url.getPath() == null || url.getPath().isEmpty()) {
                throw new IllegalArgumentException(
                        "camera '" + id + "': a file URL needs an absolute path: file:///path");
            }
        } else if (url.getHost() == null) {
            throw new IllegalArgumentException(
                    "camera '" + id + "': URL has no host: " + redact(text));
        }
        return new CameraSpec(id, url);
    }

    /** Whether the camera is a file (finite, resumable, optionally looped). */
    public boolean isFile() {
        return "file".equalsIgnoreCase(url.getScheme());
    }

    /** What FFmpeg opens: the file's path, or the URL. */
    String ffmpegSource() {
        return isFile() ? Path.of(url).toString() : url.toString();
    }

    /** The URL as logs and status messages show it: user info (credentials) replaced by *** . */
    public String redactedUrl() {
        return redact(url.toString());
    }

    /** Replaces the user info of URLs in {@code text}, e.g. an FFmpeg error naming the URL. */
    String redactIn(String text) {
        if (text == null || isFile()) {
            return text;
        }
        return text.replace(ffmpegSource(), redactedUrl());
    }

    static String redact(String text) {
        // scheme://user:password@host -> scheme://***@host, also inside longer messages.
        return text.replaceAll("(?<=://)[^/@\\s]+@", "***@");
    }

    @Override
    public String toString() {
        return id + "=" + redactedUrl();
    }
}
