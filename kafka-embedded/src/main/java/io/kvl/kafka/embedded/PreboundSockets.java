package io.kvl.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Listener sockets bound before the broker is configured, so the configuration can name their real
 * ports (the controller's port must be known up front: it goes into {@code
 * controller.quorum.voters}). Binding first and handing the open socket to the broker leaves no
 * window in which another process could take the port, unlike "find a free port, close it, hope".
 * This is the approach of Kafka's own test kit (PreboundSocketFactoryManager).
 */
final class PreboundSockets implements ServerSocketFactory, AutoCloseable {

    /** Kafka's defaults for socket.listen.backlog.size and socket.receive.buffer.bytes. */
    private static final int BACKLOG = 50;

    private static final int RECEIVE_BUFFER_BYTES = 100 * 1024;

    private final String host;
    private final Map<String, ServerSocketChannel> unclaimed = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private PreboundSockets(String host) {
        this.host = host;
    }

    /**
     * Binds one socket per listener on {@code host}; a port of 0 picks a free one.
     *
     * @throws org.apache.kafka.common.KafkaException if a port is taken (nothing stays bound then)
     */
    static PreboundSockets bind(String host, Map<String, Integer> portsByListener) {
        PreboundSockets sockets = new PreboundSockets(host);
        try {
            for (Map.Entry<String, Integer> listener : portsByListener.entrySet()) {
                sockets.bindListener(listener.getKey(), listener.getValue());
            }
            return sockets;
        } catch (RuntimeException e) {
            sockets.close();
            throw e;
        }
    }

    private void bindListener(String listener, int port) {
        try {
            ServerSocketChannel channel =
                    INSTANCE.openServerSocket(
                            listener,
                            new InetSocketAddress(host, port),
                            BACKLOG,
                            RECEIVE_BUFFER_BYTES);
            unclaimed.put(listener, channel);
            ports.put(listener, ((InetSocketAddress) channel.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot bind " + listener + " to " + host + ":" + port, e);
        }
    }

    int port(String listener) {
        Integer port = ports.get(listener);
        if (port == null) {
            throw new IllegalArgumentException("No socket was bound for listener " + listener);
        }
        return port;
    }

    /**
     * Hands the pre-bound socket to the broker's SocketServer, which owns (and closes) it from then
     * on. A listener asked for twice, or one never bound here, gets a fresh socket on the same
     * port.
     */
    @Override
    public synchronized ServerSocketChannel openServerSocket(
            String listenerName,
            InetSocketAddress socketAddress,
            int listenBacklogSize,
            int recvBufferSize)
            throws IOException {
        ServerSocketChannel channel = unclaimed.remove(listenerName);
        if (channel != null) {
            return channel;
        }
        InetSocketAddress address =
                ports.containsKey(listenerName)
                        ? new InetSocketAddress(host, ports.get(listenerName))
                        : socketAddress;
        return INSTANCE.openServerSocket(listenerName, address, listenBacklogSize, recvBufferSize);
    }

    /** Closes the sockets the broker never claimed (for example when startup failed early). */
    @Override
    public synchronized void close() {
        unclaimed.values().forEach(channel -> Utils.closeQuietly(channel, "pre-bound socket"));
        unclaimed.clear();
    }
}
