package city.hotline.hub.console.web;

import java.time.LocalDate;
import java.util.List;

/**
 * One report (日通报, 周汇总 or 月分析): sections of rows under Chinese headers, the same for the
 * HTML page, the CSV and the XLSX download.
 */
public record Report(String title, Period period, LocalDate from, LocalDate toExclusive, List<Section> sections) {

    public enum Period {
        DAILY("日通报"), WEEKLY("周汇总"), MONTHLY("月分析");

        public final String label;

        Period(String label) {
            this.label = label;
        }
    }

    /** @param rows cells: String, Number or {@link Rate} */
    public record Section(String id, String title, List<String> headers, List<List<Object>> rows) {
    }

    /** A share: numerator of denominator, shown as a percentage with one decimal; "-" when nothing to share. */
    public record Rate(long numerator, long denominator) {

        public Double value() {
            return denominator == 0 ? null : (double) numerator / denominator;
        }

        @Override
        public String toString() {
            return denominator == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * numerator / denominator);
        }
    }

    public Section section(String id) {
        return sections.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
