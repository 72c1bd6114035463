package city.hotline.hub.store;

/**
 * Makes a text storable in a PostgreSQL TEXT column whatever it contains: NUL (which PostgreSQL
 * refuses outright) and lone UTF-16 surrogates (which cannot be encoded) become U+FFFD. Used for
 * what the hub writes about bad input (a quarantine reason quoting the bad value, a raw page a
 * channel sent), so that recording a poison item can never fail because of the poison itself.
 */
public final class StorableText {

    private StorableText() {
    }

    public static String of(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!bad) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = c == 0 || Character.isLowSurrogate(c);
            }
            if (bad && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** {@link #of}, cut to {@code max} characters (reasons and errors are for people, not archives). */
    public static String of(String s, int max) {
        String t = of(s);
        return t == null || t.length() <= max ? t : t.substring(0, max) + "…";
    }
}
