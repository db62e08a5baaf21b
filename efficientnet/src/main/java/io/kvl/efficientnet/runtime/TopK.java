package io.kvl.efficientnet.runtime;

import java.util.ArrayList;
import java.util.List;

/** The {@code k} most probable classes of one probability row. */
public final class TopK {
    /** One class and its probability. */
    public record Entry(int index, float probability) {}

    private TopK() {}

    public static List<Entry> of(float[] probabilities, int k) {
        List<Entry> top = new ArrayList<>(k);
        boolean[] taken = new boolean[probabilities.length];
        for (int r = 0; r < Math.min(k, probabilities.length); r++) {
            int best = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (best < 0 || probabilities[i] > probabilities[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new Entry(best, probabilities[best]));
        }
        return top;
    }
}
