package city.hotline.hub.channel.national;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;

/**
 * What an answer of the national platform means, the same for the poll, the receipt and the
 * feedback: 2xx done; 401/403 the province refused our signature (app key, secret or clock: a
 * person must look, so it is logged as an error and shown in the health, and retried with back-off
 * in case it was the province's own fault); no answer (status 0: timeout, connection refused), 408,
 * 429 and 5xx retried with back-off; any other 4xx a refusal of this request that retrying will not change.
 */
public final class NationalResponses {

    /** The marker of a signature refusal in stored errors (the health looks for it). */
    public static final String SIGNATURE_REFUSED = "refused our signature";

    public enum Kind { OK, SIGNATURE_REFUSED, RETRY, REFUSED }

    private NationalResponses() {
    }

    /** Set by the route national-call when no answer came (timeout, connection refused); the status is then 0. */
    public static final String ERROR = "hubNationalError";

    public static int status(Exchange answer) {
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    public static String body(Exchange answer) {
        byte[] bytes = answer.getMessage().getBody(byte[].class);
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    public static Kind kind(int status) {
        if (status >= 200 && status < 300) {
            return Kind.OK;
        }
        if (status == 401 || status == 403) {
            return Kind.SIGNATURE_REFUSED;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return Kind.REFUSED;
        }
        return Kind.RETRY;
    }

    /** A one-line description of a failed call (no answer, or an answer other than 2xx). */
    public static String describe(String what, Exchange answer) {
        int status = status(answer);
        if (status == 0) {
            return "the national platform did not answer " + what + ": " + answer.getProperty(ERROR, "no answer", String.class);
        }
        return describe(what, status, body(answer));
    }

    /** A one-line description of a failed answer, for logs, health and stored errors. */
    public static String describe(String what, int status, String body) {
        String head = status == 401 || status == 403 ? "the national platform " + SIGNATURE_REFUSED + " on " + what
                : "the national platform answered " + what;
        String text = body == null ? "" : body.strip();
        return head + " with HTTP " + status + (text.isEmpty() ? "" : ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
    }
}
