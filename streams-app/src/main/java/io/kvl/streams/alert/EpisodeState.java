package io.kvl.streams.alert;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where one rule stands for one camera: recent matching frames, the open episode if any, and when
 * it last alerted. Stored in a changelogged store, so alerts survive restarts exactly once.
 */
final class EpisodeState {
    /**
     * Matching frames within the rule's window, oldest first: capture time, score (float bits) and
     * the class index of the matching label.
     */
    final Deque<long[]> recent = new ArrayDeque<>();

    int consecutive;
    boolean active;
    long lastMatch;
    long lastAlert = Long.MIN_VALUE;

    private static final byte VERSION = 1;

    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 1 + 8 + 8 + 4 + recent.size() * 24);
        b.put(VERSION)
                .putInt(consecutive)
                .put((byte) (active ? 1 : 0))
                .putLong(lastMatch)
                .putLong(lastAlert);
        b.putInt(recent.size());
        for (long[] r : recent) {
            b.putLong(r[0]).putLong(r[1]).putLong(r[2]);
        }
        return b.array();
    }

    static EpisodeState fromBytes(byte[] bytes) {
        EpisodeState s = new EpisodeState();
        if (bytes == null) {
            return s;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown episode state version " + version);
        }
        s.consecutive = b.getInt();
        s.active = b.get() == 1;
        s.lastMatch = b.getLong();
        s.lastAlert = b.getLong();
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            s.recent.add(new long[] {b.getLong(), b.getLong(), b.getLong()});
        }
        return s;
    }
}
