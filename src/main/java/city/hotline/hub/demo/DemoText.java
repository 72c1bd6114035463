package city.hotline.hub.demo;

/** Keeps the demo's log lines to one readable line. */
final class DemoText {
    private static final int MAX = 60;

    private DemoText() {
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "-";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "…";
    }
}
