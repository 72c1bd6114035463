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

    public static String normalise(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        nfkc.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return out.toString();
    }

    /** The fingerprint of an already normalised text. */
    public static String fingerprint(String normalised) {
        return Hashing.sha256Hex(normalised);
    }
}
