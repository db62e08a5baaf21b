package io.kvl.cli.demo;

import io.kvl.image.RgbImage;
import io.kvl.schemas.Alert;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * The demo's HTML report: a self-contained page (images inline) with each camera's frames and their
 * top labels, a timeline of windowed label counts per camera, and the alerts.
 */
final class ReportWriter {
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};

    private ReportWriter() {}

    static Path write(
            Path dir,
            String title,
            List<String> summaryLines,
            Map<String, List<Thumbnail>> thumbnails,
            List<LabelCount> counts,
            List<Alert> alerts)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset='utf-8'><title>")
                .append(esc(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;color:#222}")
                .append(".cam{margin-bottom:28px}.thumbs{display:flex;flex-wrap:wrap;gap:10px}")
                .append(
                        ".t{width:180px;font-size:12px}.t"
                                + " img{width:180px;height:180px;border-radius:4px}")
                .append(
                        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px"
                                + " 8px;font-size:13px}")
                .append(".s{color:#666}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1><ul>");
        for (String line : summaryLines) {
            h.append("<li>").append(esc(line)).append("</li>");
        }
        h.append("</ul><h2>Alerts</h2>");
        alertsTable(h, alerts);
        h.append("<h2>Label counts over time</h2>");
        timelines(h, counts);
        h.append("<h2>Frames and their top labels</h2>");
        for (Map.Entry<String, List<Thumbnail>> e : thumbnails.entrySet()) {
            h.append("<div class='cam'><h3>")
                    .append(esc(e.getKey()))
                    .append("</h3><div class='thumbs'>");
            for (Thumbnail t : e.getValue()) {
                h.append("<div class='t'><img src='data:image/jpeg;base64,")
                        .append(t.jpegBase64())
                        .append("'><br>")
                        .append("<span class='s'>frame ")
                        .append(t.frame().getFrameIndex())
                        .append("</span><br>");
                for (Label l :
                        t.frame()
                                .getLabels()
                                .subList(0, Math.min(3, t.frame().getLabels().size()))) {
                    h.append(esc(l.getName()))
                            .append(String.format(Locale.ROOT, " %.0f%%<br>", 100 * l.getScore()));
                }
                h.append("</div>");
            }
            h.append("</div></div>");
        }
        h.append("</body></html>\n");
        Path file = dir.resolve("index.html");
        Files.writeString(file, h.toString());
        return file;
    }

    /** A labeled frame with its picture. */
    record Thumbnail(LabeledFrame frame, String jpegBase64) {
        static Thumbnail of(LabeledFrame frame, RgbImage image) throws IOException {
            BufferedImage img =
                    new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
            byte[] p = image.pixels();
            for (int i = 0; i < image.width() * image.height(); i++) {
                img.setRGB(
                        i % image.width(),
                        i / image.width(),
                        (p[3 * i] & 0xFF) << 16
                                | (p[3 * i + 1] & 0xFF) << 8
                                | (p[3 * i + 2] & 0xFF));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", out);
            return new Thumbnail(frame, Base64.getEncoder().encodeToString(out.toByteArray()));
        }
    }

    private static void alertsTable(StringBuilder h, List<Alert> alerts) {
        if (alerts.isEmpty()) {
            h.append("<p>No alert fired.</p>");
            return;
        }
        h.append(
                        "<table><tr><th>rule</th><th>severity</th><th>camera</th><th>label</th><th>first"
                            + " seen</th>")
                .append("<th>last seen</th><th>frames</th><th>peak score</th></tr>");
        for (Alert a : alerts) {
            h.append("<tr><td>")
                    .append(esc(a.getRuleId()))
                    .append("</td><td>")
                    .append(a.getSeverity())
                    .append("</td><td>")
                    .append(esc(a.getCameraId()))
                    .append("</td><td>")
                    .append(esc(a.getLabel()))
                    .append("</td><td>")
                    .append(a.getFirstSeen())
                    .append("</td><td>")
                    .append(a.getLastSeen())
                    .append("</td><td>")
                    .append(a.getFrameCount())
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", a.getPeakScore()))
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    /** One SVG per camera: frames per window for its most frequent labels. */
    private static void timelines(StringBuilder h, List<LabelCount> counts) {
        Map<String, Map<String, Map<Long, Long>>> byCamera = new TreeMap<>();
        for (LabelCount c : counts) {
            byCamera.computeIfAbsent(c.getCameraId(), k -> new TreeMap<>())
                    .computeIfAbsent(c.getLabel(), k -> new TreeMap<>())
                    .merge(c.getWindowStart().toEpochMilli(), c.getFrames(), Math::max);
        }
        if (byCamera.isEmpty()) {
            h.append("<p>No window has closed yet.</p>");
        }
        for (Map.Entry<String, Map<String, Map<Long, Long>>> cam : byCamera.entrySet()) {
            List<Map.Entry<String, Map<Long, Long>>> labels =
                    new ArrayList<>(cam.getValue().entrySet());
            labels.sort((a, b) -> Long.compare(total(b.getValue()), total(a.getValue())));
            labels = labels.subList(0, Math.min(COLORS.length, labels.size()));
            TreeSet<Long> windows = new TreeSet<>();
            long max = 1;
            for (Map.Entry<String, Map<Long, Long>> l : labels) {
                windows.addAll(l.getValue().keySet());
                max =
                        Math.max(
                                max,
                                l.getValue().values().stream()
                                        .mapToLong(Long::longValue)
                                        .max()
                                        .orElse(1));
            }
            svg(h, cam.getKey(), labels, new ArrayList<>(windows), max);
        }
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private static void svg(
            StringBuilder h,
            String camera,
            List<Map.Entry<String, Map<Long, Long>>> labels,
            List<Long> windows,
            long max) {
        int w = 640;
        int ht = 180;
        int left = 40;
        h.append("<h3>")
                .append(esc(camera))
                .append("</h3><svg width='")
                .append(w + 220)
                .append("' height='")
                .append(ht + 30)
                .append("'><line x1='")
                .append(left)
                .append("' y1='")
                .append(ht)
                .append("' x2='")
                .append(w)
                .append("' y2='")
                .append(ht)
                .append("' stroke='#999'/>")
                .append("<text x='0' y='12' font-size='11'>")
                .append(max)
                .append("</text>");
        double step = windows.size() > 1 ? (w - left) / (double) (windows.size() - 1) : 0;
        for (int i = 0; i < labels.size(); i++) {
            StringBuilder pts = new StringBuilder();
            for (int x = 0; x < windows.size(); x++) {
                long v = labels.get(i).getValue().getOrDefault(windows.get(x), 0L);
                pts.append(
                        String.format(
                                Locale.ROOT,
                                "%.1f,%.1f ",
                                left + x * step,
                                ht - (ht - 10) * v / (double) max));
            }
            h.append("<polyline fill='none' stroke-width='2' stroke='")
                    .append(COLORS[i])
                    .append("' points='")
                    .append(pts)
                    .append("'/><text x='")
                    .append(w + 10)
                    .append("' y='")
                    .append(20 + 18 * i)
                    .append("' font-size='12' fill='")
                    .append(COLORS[i])
                    .append("'>")
                    .append(esc(labels.get(i).getKey()))
                    .append("</text>");
        }
        timeAxis(h, windows, left, step, ht);
        h.append("<text x='")
                .append(w + 10)
                .append("' y='")
                .append(ht + 20)
                .append("' font-size='11'>frames per window</text></svg>");
    }

    /** Start times (capture time, local clock) under the first, middle and last window. */
    private static void timeAxis(
            StringBuilder h, List<Long> windows, int left, double step, int ht) {
        if (windows.isEmpty()) {
            return;
        }
        int last = windows.size() - 1;
        for (int i : new TreeSet<>(List.of(0, last / 2, last))) {
            String anchor = last == 0 ? "middle" : i == 0 ? "start" : i == last ? "end" : "middle";
            h.append("<line x1='")
                    .append(String.format(Locale.ROOT, "%.1f", left + i * step))
                    .append("' y1='")
                    .append(ht)
                    .append("' x2='")
                    .append(String.format(Locale.ROOT, "%.1f", left + i * step))
                    .append("' y2='")
                    .append(ht + 4)
                    .append("' stroke='#999'/><text class='tick' x='")
                    .append(String.format(Locale.ROOT, "%.1f", left + i * step))
                    .append("' y='")
                    .append(ht + 18)
                    .append("' font-size='11' text-anchor='")
                    .append(anchor)
                    .append("'>")
                    .append(TIME.format(Instant.ofEpochMilli(windows.get(i))))
                    .append("</text>");
        }
    }

    private static long total(Map<Long, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&#39;");
    }
}
