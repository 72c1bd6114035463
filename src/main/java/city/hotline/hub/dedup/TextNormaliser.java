package city.hotline.hub.dedup;

import java.text.Normalizer;

import city.hotline.hub.ticket.Hashing;

/**
 * The text two reports are compared on: NFKC (which also folds full-width Latin letters, digits and
 * the ideographic space to their half-width forms), lower case, and nothing but letters and digits:
 * whitespace, punctuation, symbols and control characters are removed, so "路灯坏了！" and
 * "路灯 坏了!" are the same text.
 */
public final class TextNormaliser {

    private TextNormaliser() {
    }

    /** The separator {@link #withBreaks} leaves where punctuation or whitespace was. */
    public static final char BREAK = '|';

    public static String normalise(String text) {
        return withoutBreaks(withBreaks(text));
    }

    /**
     * Like {@link #normalise}, but every run of whitespace, punctuation and symbols becomes one
     * {@link #BREAK}: place names are looked for in this form, so that "位于火炬路，小区物业" does not
     * read as a 小区 called "火炬路小区". Stored in the index; {@link #withoutBreaks} gives the compared text.
     */
    public static String withBreaks(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                out.appendCodePoint(Character.toLowerCase(cp));
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != BREAK) {
                out.append(BREAK);
            }
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) == BREAK) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    public static String withoutBreaks(String withBreaks) {
        return withBreaks.indexOf(BREAK) < 0 ? withBreaks : withBreaks.replace(String.valueOf(BREAK), "");
    }

    /** The fingerprint of an already normalised text. */
    public static String fingerprint(String normalised) {
        return Hashing.sha256Hex(normalised);
    }
}
