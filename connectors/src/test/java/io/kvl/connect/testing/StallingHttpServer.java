package io.kvl.connect.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local socket that accepts connections and never sends a byte, like a camera that hangs, until
 * {@link #serve(byte[])} is called: from then on each connection gets an HTTP response with those
 * bytes (an MPEG-TS stream) and is closed.
 */
public final class StallingHttpServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile byte[] stream;

    public StallingHttpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "stalling-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/stream.ts";
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Answers the following connections with {@code mpegts} instead of silence. */
    public void serve(byte[] mpegts) {
        stream = mpegts;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                byte[] body = stream;
                if (body == null) {
                    held.add(socket); // never answered
                } else {
                    answer(socket, body);
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new IllegalStateException("accept failed", e);
                }
            }
        }
    }

    private static void answer(Socket socket, byte[] body) throws IOException {
        // No Content-Length: FFmpeg then treats the stream as live (unseekable) and reads to EOF.
        try (socket;
                OutputStream out = socket.getOutputStream()) {
            out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } catch (IOException e) {
            // The reader may hang up first (e.g. the task stopped): nothing to clean up.
            if (!socket.isClosed()) {
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
