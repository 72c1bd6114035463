package city.hotline.hub.channel.weibo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Weibo text and times. A post's text is the citizen's own words followed, in a repost, by the
 * chain of earlier posts ({@code //@user: ...}); the ticket carries the citizen's own words, the
 * chain is kept beside them. Zero-width characters (often used to dodge keyword filters) are
 * removed, emoji are kept.
 */
public final class WeiboText {

    /** {@code created_at}, e.g. "Tue May 31 17:46:55 +0800 2011". */
    public static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US);
    private static final Pattern ZERO_WIDTH = Pattern.compile("[\\u200B-\\u200F\\u2060-\\u2064\\uFEFF\\u00AD]");
    private static final String CHAIN = "//@";

    public record Split(String own, String chain) {
    }

    private WeiboText() {
    }

    public static Split split(String text) {
        String t = ZERO_WIDTH.matcher(text == null ? "" : text).replaceAll("");
        int at = t.indexOf(CHAIN);
        if (at < 0) {
            return new Split(t.strip(), null);
        }
        return new Split(t.substring(0, at).strip(), t.substring(at).strip());
    }

    /** @throws IllegalArgumentException when the text is not a Weibo {@code created_at} */
    public static Instant createdAt(String text) {
        try {
            return OffsetDateTime.parse(text.strip(), CREATED_AT).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("created_at '" + text + "' is not 'EEE MMM dd HH:mm:ss Z yyyy'");
        }
    }
}
