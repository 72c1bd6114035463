package city.hotline.hub.channel.weixin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message signatures and "safe mode" (安全模式) encryption, as Tencent's WXBizMsgCrypt
 * defines them (channels.md §1.2, §1.4): {@code sha1} over the sorted inputs; AES-256-CBC with the
 * key {@code Base64(EncodingAESKey + "=")} and IV = its first 16 bytes, over
 * {@code random(16) + length(4, big-endian, UTF-8 bytes) + message + appid}.
 * <p>
 * Hand-written because no library in the build does it: WxJava would pull in a whole SDK for two
 * methods. The padding is PKCS#7 with a <b>32-byte</b> block, which Java's
 * {@code AES/CBC/PKCS5Padding} (16-byte blocks, pad values 1..16) rejects, so the cipher runs
 * with NoPadding and the padding is added and removed here.
 */
public final class WeixinCrypto {

    private static final int BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final byte[] aesKey;
    private final String appId;

    /**
     * @param encodingAesKey the 43-character EncodingAESKey; may be blank when only plaintext mode
     *                       is used (decrypting then fails with a clear message)
     */
    public WeixinCrypto(String token, String encodingAesKey, String appId) {
        this.token = token == null ? "" : token;
        this.appId = appId == null ? "" : appId;
        if (encodingAesKey == null || encodingAesKey.isBlank()) {
            this.aesKey = null;
        } else {
            byte[] key = Base64.getDecoder().decode(encodingAesKey.trim() + "=");
            if (key.length != 32) {
                throw new IllegalArgumentException("EncodingAESKey must be 43 characters (32 bytes); it decodes to " + key.length + " bytes");
            }
            this.aesKey = key;
        }
    }

    /** {@code sha1(join(sort(parts)))} as lower-case hex. */
    public static String sha1(String... parts) {
        String[] sorted = parts.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = sorted[i] == null ? "" : sorted[i];
        }
        Arrays.sort(sorted);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL signature of a push or a verification request: sha1(sort(token, timestamp, nonce)). */
    public boolean verifySignature(String signature, String timestamp, String nonce) {
        return matches(signature, sha1(token, timestamp, nonce));
    }

    /** The safe-mode signature: sha1(sort(token, timestamp, nonce, encrypted)). */
    public boolean verifyMsgSignature(String msgSignature, String timestamp, String nonce, String encrypted) {
        return matches(msgSignature, sha1(token, timestamp, nonce, encrypted));
    }

    public String msgSignature(String timestamp, String nonce, String encrypted) {
        return sha1(token, timestamp, nonce, encrypted);
    }

    private static boolean matches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.trim().toLowerCase().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    public String encrypt(String plaintext) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return encrypt(random, plaintext);
    }

    /** Deterministic form, for the golden test vector (T-W4). */
    String encrypt(byte[] random16, String plaintext) {
        byte[] msg = plaintext.getBytes(StandardCharsets.UTF_8);
        byte[] app = appId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 16 + 4 + msg.length + app.length;
        int pad = BLOCK - (unpadded % BLOCK); // 1..32: a full block of padding when already aligned
        ByteBuffer buf = ByteBuffer.allocate(unpadded + pad);
        buf.put(random16, 0, 16).putInt(msg.length).put(msg).put(app);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) pad);
        }
        return Base64.getEncoder().encodeToString(cipher(Cipher.ENCRYPT_MODE, buf.array()));
    }

    /**
     * Decrypts a safe-mode {@code Encrypt} value and returns the message.
     *
     * @throws WeixinCryptoException when it is not valid ciphertext for our key, or carries another appid
     */
    public String decrypt(String encrypted) {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(encrypted.trim());
        } catch (IllegalArgumentException e) {
            throw new WeixinCryptoException("Encrypt is not Base64", false);
        }
        if (data.length == 0 || data.length % 16 != 0) {
            throw new WeixinCryptoException("Encrypt is not a whole number of AES blocks", false);
        }
        byte[] plain = cipher(Cipher.DECRYPT_MODE, data);
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || pad > plain.length - 20) {
            throw new WeixinCryptoException("bad padding: wrong EncodingAESKey or corrupted message", false);
        }
        int end = plain.length - pad;
        int msgLength = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (msgLength < 0 || 20 + msgLength > end) {
            throw new WeixinCryptoException("bad message length: wrong EncodingAESKey or corrupted message", false);
        }
        String message = new String(plain, 20, msgLength, StandardCharsets.UTF_8);
        String receiver = new String(plain, 20 + msgLength, end - 20 - msgLength, StandardCharsets.UTF_8);
        if (!receiver.equals(appId)) {
            throw new WeixinCryptoException("message is addressed to appid '" + receiver + "', not ours", true);
        }
        return message;
    }

    private byte[] cipher(int mode, byte[] input) {
        if (aesKey == null) {
            throw new WeixinCryptoException("safe mode needs hub.channels.weixin.encoding-aes-key", false);
        }
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(mode, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(aesKey, 0, 16));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new WeixinCryptoException("AES failed: " + e.getMessage(), false);
        }
    }

    @Override
    public String toString() {
        return "WeixinCrypto[appId=" + appId + "]";
    }

    /** Ciphertext we cannot (or must not) accept. */
    public static class WeixinCryptoException extends RuntimeException {
        private final boolean wrongReceiver;

        public WeixinCryptoException(String message, boolean wrongReceiver) {
            super(message);
            this.wrongReceiver = wrongReceiver;
        }

        public boolean wrongReceiver() {
            return wrongReceiver;
        }
    }
}
