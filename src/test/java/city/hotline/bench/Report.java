package city.hotline.bench;

import java.util.ArrayList;
import java.util.List;

/** The result table: each figure, the ceiling it is compared with, the ratio, the target and whether it is met. */
final class Report {

    record Row(String figure, String value, String ceiling, String ratio, String target, String verdict) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void ceiling(String figure, String value) {
        rows.add(new Row(figure, value, "", "", "", ""));
    }

    void figure(String figure, String value, String ceiling, String ratio, String target, Boolean pass) {
        rows.add(new Row(figure, value, ceiling, ratio, target, pass == null ? "" : pass ? "PASS" : "FAIL"));
    }

    void note(String note) {
        notes.add(note);
    }

    String markdown(String title) {
        StringBuilder b = new StringBuilder("## ").append(title).append("\n\n");
        b.append("| figure | value | ceiling | ratio | target | |\n|---|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", r.figure, r.value, r.ceiling, r.ratio, r.target, r.verdict)).append(" |\n");
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    static String perSecond(double v) {
        return String.format("%,.0f/s", v);
    }

    static String ratio(double a, double b) {
        return b <= 0 ? "" : String.format("%.0f %%", 100 * a / b);
    }

    static String mib(long bytes) {
        return String.format("%,d MiB", bytes >> 20);
    }

    static String millis(double ms) {
        return String.format("%,.0f ms", ms);
    }
}
