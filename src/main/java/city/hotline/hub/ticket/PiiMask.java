package city.hotline.hub.ticket;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks phone and identity-card numbers wherever they appear in free text (logs, UI). */
public final class PiiMask {

    // 18-digit resident identity numbers (last character may be X)
    private static final Pattern ID_NUMBER = Pattern.compile("(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])");
    // mobiles with optional +86/0086, and landlines written with a trunk 0
    private static final Pattern PHONE = Pattern.compile("(?<![0-9])((?:\\+|00)?86)?(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])");
    private static final Pattern LANDLINE = Pattern.compile("(?<![0-9])(0[1-9][0-9]{1,2})[- ]?[0-9]{3,4}([0-9]{4})(?![0-9])");

    private PiiMask() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = ID_NUMBER.matcher(text).replaceAll("$1********$2");
        Matcher m = PHONE.matcher(s);
        s = m.replaceAll(r -> Matcher.quoteReplacement((r.group(1) == null ? "" : r.group(1)) + r.group(2) + "****" + r.group(3)));
        return LANDLINE.matcher(s).replaceAll("$1****$2");
    }
}
