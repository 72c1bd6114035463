package city.hotline.hub.channel.weixin;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The message-push protocol (channels.md §1.2–1.4) without any transport: URL verification, and
 * a pushed body in plaintext, safe ({@code encrypt_type=aes}) or compatible mode, XML or JSON.
 * Every refusal is a {@link Rejected} with the HTTP status to answer.
 */
public final class WeixinPushReader {

    /**
     * A request we refuse. {@code authenticated}: the URL signature proved it came from WeChat with
     * our token, so the raw body is worth keeping (quarantine) rather than dropping as noise.
     */
    public static final class Rejected extends RuntimeException {
        private final int status;
        private final boolean authenticated;

        Rejected(int status, String reason, boolean authenticated) {
            super(reason);
            this.status = status;
            this.authenticated = authenticated;
        }

        public int status() {
            return status;
        }

        public boolean authenticated() {
            return authenticated;
        }
    }

    private final WeixinCrypto crypto;

    public WeixinPushReader(WeixinCrypto crypto) {
        this.crypto = crypto;
    }

    /**
     * Every push, GET verification included, must be fresh: its {@code timestamp} within
     * {@code tolerance} of now. The plaintext signature covers only token, timestamp and nonce, so
     * without this a query string that was ever logged could be used again, with any body.
     */
    public static void checkFresh(Map<String, String> query, java.time.Instant now, java.time.Duration tolerance) {
        String timestamp = query.get("timestamp");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp == null ? "" : timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Rejected(403, "no timestamp", false);
        }
        long off = Math.abs(now.getEpochSecond() - seconds);
        if (off > tolerance.toSeconds()) {
            throw new Rejected(403, "timestamp " + timestamp + " is " + off + " s off (more than " + tolerance.toSeconds() + " s)", false);
        }
    }

    /**
     * GET verification: the plain {@code echostr} when {@code signature} matches; in safe mode
     * ({@code msg_signature} present) the decrypted {@code echostr}.
     */
    public String verify(Map<String, String> query) {
        String timestamp = query.get("timestamp");
        String nonce = query.get("nonce");
        String echostr = query.get("echostr");
        if (echostr == null) {
            throw new Rejected(403, "no echostr", false);
        }
        String msgSignature = query.get("msg_signature");
        if (msgSignature != null) {
            if (!crypto.verifyMsgSignature(msgSignature, timestamp, nonce, echostr)) {
                throw new Rejected(403, "msg_signature does not match", false);
            }
            try {
                return crypto.decrypt(echostr);
            } catch (WeixinCrypto.WeixinCryptoException e) {
                throw new Rejected(403, "echostr: " + e.getMessage(), false);
            }
        }
        if (!crypto.verifySignature(query.get("signature"), timestamp, nonce)) {
            throw new Rejected(403, "signature does not match", false);
        }
        return echostr;
    }

    /** A pushed message, checked and decrypted. */
    public WeixinMessage read(Map<String, String> query, String body) {
        String timestamp = query.get("timestamp");
        String nonce = query.get("nonce");
        boolean safeMode = "aes".equalsIgnoreCase(query.get("encrypt_type"));
        String signature = query.get("signature");
        boolean authenticated = signature != null && crypto.verifySignature(signature, timestamp, nonce);
        if (signature != null && !authenticated) {
            throw new Rejected(403, "signature does not match", false);
        }
        if (!safeMode && !authenticated) {
            throw new Rejected(403, "no signature", false);
        }
        ObjectNode outer = parse(body, authenticated);
        if (!safeMode) {
            // plaintext, or compatible mode read as plaintext (the Encrypt field is ignored)
            return new WeixinMessage(textual(outer), false);
        }
        JsonNode encrypt = outer.get("Encrypt");
        if (encrypt == null || !encrypt.isTextual() || encrypt.asText().isBlank()) {
            throw new Rejected(400, "encrypt_type=aes but the body has no Encrypt field", authenticated);
        }
        if (!crypto.verifyMsgSignature(query.get("msg_signature"), timestamp, nonce, encrypt.asText())) {
            throw new Rejected(403, "msg_signature does not match", false);
        }
        String inner;
        try {
            inner = crypto.decrypt(encrypt.asText());
        } catch (WeixinCrypto.WeixinCryptoException e) {
            throw new Rejected(e.wrongReceiver() ? 403 : 400, "Encrypt: " + e.getMessage(), !e.wrongReceiver());
        }
        return new WeixinMessage(textual(parse(inner, true)), true);
    }

    private static ObjectNode parse(String body, boolean authenticated) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("<")) {
            try {
                return WeixinXml.read(text);
            } catch (IllegalArgumentException e) {
                throw new Rejected(400, e.getMessage(), authenticated);
            }
        }
        if (text.startsWith("{")) {
            try {
                return Json.readObject(text);
            } catch (IllegalArgumentException e) {
                throw new Rejected(400, e.getMessage(), authenticated);
            }
        }
        throw new Rejected(400, text.isEmpty() ? "empty body" : "body is neither XML nor JSON", authenticated);
    }

    /**
     * Scalars as text. Json reads integers as BigInteger, so a 19-digit MsgId keeps every digit;
     * decimals (coordinates) as plain text without exponent.
     */
    static ObjectNode textual(ObjectNode in) {
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), textual(e.getValue()));
        }
        return out;
    }

    private static JsonNode textual(JsonNode n) {
        if (n instanceof ObjectNode o) {
            return textual(o);
        }
        if (n instanceof ArrayNode a) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            a.forEach(x -> out.add(textual(x)));
            return out;
        }
        if (n.isNumber()) {
            return Json.MAPPER.getNodeFactory().textNode(n.isIntegralNumber() ? n.bigIntegerValue().toString()
                    : new BigDecimal(n.asText()).toPlainString());
        }
        if (n.isBoolean()) {
            return Json.MAPPER.getNodeFactory().textNode(n.asText());
        }
        return n;
    }
}
