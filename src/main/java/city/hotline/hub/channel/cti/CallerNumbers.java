package city.hotline.hub.channel.cti;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Caller numbers (ANI) as the CTI sends them, to E.164: mobiles ({@code 13912345678}), {@code +86} and
 * {@code 0086} prefixes ({@code 008613912345678} is Tencent's own example), landlines with their area
 * code and trunk 0 ({@code 0731-84567890}, {@code 057188888888}). A withheld, empty or internal number
 * (an extension, a bare local number without its area code) is {@link #UNKNOWN}, never an empty string,
 * so that dedup by caller never joins two strangers on "".
 */
public final class CallerNumbers {

    public static final String UNKNOWN = "unknown";
    private static final Set<String> WITHHELD = Set.of("anonymous", "unknown", "private", "withheld", "restricted",
            "unavailable", "blocked", "null", "none", "-");
    private static final Pattern MOBILE = Pattern.compile("1[3-9][0-9]{9}");
    /** Area code (2-3 digits after the trunk 0: 10, 21, 731, 571 ...) plus a 7-8 digit local number. */
    private static final Pattern LANDLINE = Pattern.compile("0[1-9][0-9]{8,10}");

    private CallerNumbers() {
    }

    /** E.164 ({@code +86...}) or {@link #UNKNOWN}. */
    public static String normalise(String raw) {
        if (raw == null) {
            return UNKNOWN;
        }
        String s = raw.strip();
        if (s.isEmpty() || WITHHELD.contains(s.toLowerCase(Locale.ROOT))) {
            return UNKNOWN;
        }
        boolean plus = s.startsWith("+");
        String digits = s.replaceAll("[\\s\\-().]", "");
        if (plus) {
            digits = digits.substring(1);
        }
        if (!digits.matches("[0-9]+") || digits.chars().allMatch(c -> c == '0')) {
            return UNKNOWN;
        }
        if (!plus && digits.startsWith("00")) {
            // international prefix: 0086 13912345678
            digits = digits.substring(2);
            plus = true;
        }
        if (plus) {
            if (digits.startsWith("86")) {
                return national(digits.substring(2));
            }
            return digits.length() >= 7 && digits.length() <= 15 && digits.charAt(0) != '0' ? "+" + digits : UNKNOWN;
        }
        if (digits.startsWith("86") && UNKNOWN.equals(national(digits))) {
            // 86 13912345678 without the +
            return national(digits.substring(2));
        }
        return national(digits);
    }

    /** A Chinese number without country code: a mobile, or a landline with its trunk 0 (or without it after +86). */
    private static String national(String digits) {
        if (MOBILE.matcher(digits).matches()) {
            return "+86" + digits;
        }
        if (LANDLINE.matcher(digits).matches()) {
            return "+86" + digits.substring(1);
        }
        if (!digits.startsWith("0") && LANDLINE.matcher("0" + digits).matches() && digits.length() >= 9) {
            return "+86" + digits;
        }
        return UNKNOWN;
    }

    /** For logs and operators: {@code +86139****5678}; unknown stays unknown. */
    public static String mask(String e164) {
        if (e164 == null || UNKNOWN.equals(e164) || e164.length() < 8) {
            return e164 == null ? UNKNOWN : e164.equals(UNKNOWN) ? UNKNOWN : "***";
        }
        return e164.substring(0, e164.length() - 8) + "****" + e164.substring(e164.length() - 4);
    }
}
