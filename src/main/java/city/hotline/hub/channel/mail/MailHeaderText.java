package city.hotline.hub.channel.mail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeUtility;

/**
 * Decodes a header value as Chinese mail really carries it (channels.md §6). The charset label is
 * mapped by Jakarta Mail itself ({@link MimeUtility#javaCharset}: Angus Mail maps {@code gb2312},
 * {@code gbk}, {@code cp936} to GB18030, the fix of jakarta mail-api#248), but two things are done
 * here by hand because Jakarta Mail has no switch for them:
 * <ul>
 * <li>adjacent encoded-words of the same charset are joined as bytes before decoding.
 * {@link MimeUtility#decodeText} decodes every word on its own, so a multi-byte character split across
 * two words turns into two replacement characters (mail-api#751; {@code mail.mime.decodetext.strict}
 * only concerns words inside other text);</li>
 * <li>raw 8-bit header bytes (no encoding at all), which Jakarta Mail reads as ISO-8859-1
 * (mail-api#103): taken back as bytes and decoded as UTF-8 when they are valid UTF-8, else as GB18030.</li>
 * </ul>
 * Input: the header value exactly as {@code MimeMessage.getHeader(name, null)} returns it (one char
 * per byte), folded or not.
 */
public final class MailHeaderText {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");
    private static final Pattern LINEAR_WHITESPACE = Pattern.compile("[ \\t\\r\\n]*");

    private MailHeaderText() {
    }

    public static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        String text = MimeUtility.unfold(raw);
        if (hasEightBit(text)) {
            text = eightBit(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return decodeWords(text).strip();
    }

    /** Bytes without a declared charset: UTF-8 when they are valid UTF-8 (RFC 6532), else GB18030. */
    static String eightBit(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, Charset.forName("GB18030"));
        }
    }

    /** The Java charset of a MIME label, as Jakarta Mail maps it; null when the JVM has none. */
    static Charset charset(String label) {
        String name = label;
        int star = name.indexOf('*');
        if (star > 0) {
            name = name.substring(0, star); // RFC 2231 language suffix: =?gb2312*zh?B?...?=
        }
        try {
            return Charset.forName(MimeUtility.javaCharset(name));
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    private static boolean hasEightBit(String s) {
        boolean eight = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return false; // already decoded text, not bytes
            }
            eight |= c >= 0x80;
        }
        return eight;
    }

    private static String decodeWords(String text) {
        Matcher m = ENCODED_WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        String pendingLabel = null;
        Charset pendingCharset = null;
        int last = 0;
        while (m.find()) {
            String between = text.substring(last, m.start());
            Charset cs = charset(m.group(1));
            byte[] bytes = cs == null ? null : wordBytes(m.group(2), m.group(3));
            if (bytes == null) {
                // not decodable: left as it is
                flush(out, pending, pendingCharset);
                pendingLabel = null;
                out.append(between).append(m.group());
                last = m.end();
                continue;
            }
            boolean adjacent = pendingLabel != null && LINEAR_WHITESPACE.matcher(between).matches();
            if (adjacent && pendingLabel.equalsIgnoreCase(m.group(1))) {
                pending.writeBytes(bytes); // the same charset: one byte sequence (a character may be split)
            } else {
                flush(out, pending, pendingCharset);
                if (!adjacent) {
                    out.append(between); // whitespace between two encoded-words is dropped (RFC 2047 §6.2)
                }
                pending.writeBytes(bytes);
                pendingLabel = m.group(1);
                pendingCharset = cs;
            }
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text.substring(last));
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (pending.size() > 0) {
            out.append(new String(pending.toByteArray(), charset));
            pending.reset();
        }
    }

    private static byte[] wordBytes(String encoding, String payload) {
        try {
            if (encoding.toUpperCase(Locale.ROOT).equals("B")) {
                // the MIME decoder skips characters outside the alphabet and accepts missing padding
                return Base64.getMimeDecoder().decode(payload);
            }
            return qDecode(payload);
        } catch (IllegalArgumentException bad) {
            return null;
        }
    }

    /** RFC 2047 "Q": quoted-printable with "_" for a space. */
    private static byte[] qDecode(String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length());
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < payload.length()) {
                int hi = Character.digit(payload.charAt(i + 1), 16);
                int lo = Character.digit(payload.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad Q escape");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '=') {
                throw new IllegalArgumentException("truncated Q escape");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
