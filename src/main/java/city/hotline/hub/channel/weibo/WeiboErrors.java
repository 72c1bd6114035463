package city.hotline.hub.channel.weibo;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Weibo API error codes (open.weibo.com/wiki/Error_code, v2 table), grouped by what the hub does.
 * {@code error_code} arrives as a string in some answers and as a number in others.
 */
public final class WeiboErrors {

    public enum Kind {
        /** 10022 / 10023 / 10024: rest the endpoint for the rate-limit window */
        RATE_LIMITED,
        /** 21301, 21314–21317, 21327, 21332: the token is gone; a person must re-authorise */
        REAUTHORISE,
        /** 20019: the same content was sent already: delivered */
        ALREADY_SENT,
        /** 20101 / 20201 / 20202: the post or comment no longer exists: nothing to reply to */
        TARGET_GONE,
        /** 20016: posting too often: try again later */
        TOO_FREQUENT,
        OTHER
    }

    private static final Set<Integer> RATE = Set.of(10022, 10023, 10024);
    private static final Set<Integer> AUTH = Set.of(21301, 21314, 21315, 21316, 21317, 21327, 21332);
    private static final Set<Integer> GONE = Set.of(20101, 20201, 20202);

    private WeiboErrors() {
    }

    /** The error code of an answer, or null when it carries none. */
    public static Integer code(JsonNode answer) {
        JsonNode c = answer == null ? null : answer.get("error_code");
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isIntegralNumber()) {
            return c.asInt();
        }
        String s = c.asText().strip();
        return s.matches("[0-9]{1,9}") ? Integer.valueOf(s) : -1;
    }

    public static Kind kind(int code) {
        if (RATE.contains(code)) {
            return Kind.RATE_LIMITED;
        }
        if (AUTH.contains(code)) {
            return Kind.REAUTHORISE;
        }
        if (GONE.contains(code)) {
            return Kind.TARGET_GONE;
        }
        if (code == 20019) {
            return Kind.ALREADY_SENT;
        }
        if (code == 20016) {
            return Kind.TOO_FREQUENT;
        }
        return Kind.OTHER;
    }

    public static String describe(int code, JsonNode answer) {
        return "Weibo error " + code + ": " + answer.path("error").asText("");
    }
}
