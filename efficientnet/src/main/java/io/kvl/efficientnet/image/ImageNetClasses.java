package io.kvl.efficientnet.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The 1000 ImageNet-1k classes in the standard index order (synsets sorted). */
public final class ImageNetClasses {
    private static final String RESOURCE = "/io/kvl/efficientnet/imagenet-classes.tsv";
    private static final ImageNetClasses INSTANCE = load();

    private final List<String> synsets;
    private final List<String> names;
    private final Map<String, Integer> bySynset;

    private ImageNetClasses(List<String> synsets, List<String> names) {
        this.synsets = Collections.unmodifiableList(synsets);
        this.names = Collections.unmodifiableList(names);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < synsets.size(); i++) {
            m.put(synsets.get(i), i);
        }
        this.bySynset = Collections.unmodifiableMap(m);
    }

    public static ImageNetClasses get() {
        return INSTANCE;
    }

    public int size() {
        return names.size();
    }

    /** Human-readable name of class {@code index}, e.g. {@code beer bottle}. */
    public String name(int index) {
        return names.get(index);
    }

    public String synset(int index) {
        return synsets.get(index);
    }

    /** Index of a WordNet synset id such as {@code n02823428}, or -1. */
    public int indexOf(String synset) {
        return bySynset.getOrDefault(synset, -1);
    }

    private static ImageNetClasses load() {
        try (InputStream in = ImageNetClasses.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            List<String> synsets = new ArrayList<>();
            List<String> names = new ArrayList<>();
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                if (f.length != 3 || Integer.parseInt(f[0]) != names.size()) {
                    throw new IllegalStateException("bad line in " + RESOURCE + ": " + line);
                }
                synsets.add(f[1]);
                names.add(f[2]);
            }
            return new ImageNetClasses(synsets, names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
