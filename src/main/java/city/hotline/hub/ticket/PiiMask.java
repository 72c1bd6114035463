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
        if (text == null || text.isEmpty() || !mayHoldANumber(text)) {
            return text;
        }
        return maskEveryPosition(text);
    }

    /** The patterns alone, without the first look (tests compare the two). */
    static String maskEveryPosition(String text) {
        String s = ID_NUMBER.matcher(text).replaceAll("$1********$2");
        Matcher m = PHONE.matcher(s);
        s = m.replaceAll(r -> Matcher.quoteReplacement((r.group(1) == null ? "" : r.group(1)) + r.group(2) + "****" + r.group(3)));
        return LANDLINE.matcher(s).replaceAll("$1****$2");
    }

    /**
     * A cheap first look, because every log line passes here and the three patterns above try
     * every position of the text: true when some run of digits could belong to a number they
     * mask (17 or more digits; 7 or more starting with 0, 1 or 8 (+86); or a 3–4 digit area code
     * starting with 0 followed by '-' or ' ' and a digit). Ticket ids and dates are none of these.
     */
    static boolean mayHoldANumber(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            int length = i - start;
            char first = text.charAt(start);
            if (length >= 17 || (length >= 7 && (first == '0' || first == '1' || first == '8'))) {
                return true;
            }
            if (first == '0' && (length == 3 || length == 4) && i + 1 < n
                    && (text.charAt(i) == '-' || text.charAt(i) == ' ') && isDigit(text.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
