package city.hotline.hub.ticket;

import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Turns what a channel sends into the plain, sanitised text a ticket carries: markup removed with
 * jsoup (nothing executable survives), the padding boards and forms add (leading tabs, runs of
 * blank lines, trailing spaces) collapsed, paragraph breaks kept, control characters dropped.
 */
public final class PlainText {

    private static final Pattern LOOKS_LIKE_MARKUP = Pattern.compile("<[a-zA-Z/!][^>]*>|&[a-zA-Z#0-9]+;");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\u200B-\\u200D\\uFEFF]");
    private static final Pattern HORIZONTAL_RUN = Pattern.compile("[ \\t\\u00A0\\u3000]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

    private PlainText() {
    }

    public static String sanitise(String text) {
        if (text == null) {
            return null;
        }
        String s = text.replace("\r\n", "\n").replace('\r', '\n');
        if (LOOKS_LIKE_MARKUP.matcher(s).find()) {
            s = markupToText(s);
        }
        s = CONTROL.matcher(s).replaceAll("");
        StringBuilder out = new StringBuilder(s.length());
        for (String line : s.split("\n", -1)) {
            out.append(HORIZONTAL_RUN.matcher(line).replaceAll(" ").strip()).append('\n');
        }
        return BLANK_LINES.matcher(out.toString()).replaceAll("\n\n").strip();
    }

    private static String markupToText(String html) {
        // Keep block boundaries as line breaks, then let the safelist drop every tag.
        String marked = html.replaceAll("(?i)<br\\s*/?>", "\n")
                .replaceAll("(?i)</(p|div|li|h[1-6]|tr)>", "\n\n");
        Document.OutputSettings keepBreaks = new Document.OutputSettings().prettyPrint(false);
        String cleaned = Jsoup.clean(marked, "", Safelist.none(), keepBreaks);
        return Jsoup.parse(cleaned).wholeText();
    }
}
