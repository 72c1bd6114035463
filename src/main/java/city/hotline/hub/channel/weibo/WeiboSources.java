package city.hotline.hub.channel.weibo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.ticket.Forms;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The two mention endpoints, for the quarantine replay of a skipped range ({@link #reread}): pages
 * {@code since_id .. max_id} read again through the route {@code weibo-get}; the token travels in the query
 * (as the API documents) but never in an endpoint URI or a log line. (Polling itself runs on the
 * {@code http-poll} kind: WeiboBindings, WeiboPageReader.)
 */
@Component
public class WeiboSources {

    public enum Endpoint {
        STATUS_MENTIONS("statuses/mentions", "/2/statuses/mentions.json", "statuses"),
        COMMENT_MENTIONS("comments/mentions", "/2/comments/mentions.json", "comments");

        final String source;
        final String path;
        final String list;

        Endpoint(String source, String path, String list) {
            this.source = source;
            this.path = path;
            this.list = list;
        }

        public String source() {
            return source;
        }
    }

    private final ProducerTemplate camel;
    private final WeiboProperties props;
    private final WeiboAuth auth;
    private final PolledIntake intake;
    private final Clock clock = Clock.systemUTC();

    public WeiboSources(ProducerTemplate camel, WeiboProperties props, WeiboAuth auth, PolledIntake intake) {
        this.camel = camel;
        this.props = props;
        this.auth = auth;
        this.intake = intake;
    }

    /**
     * Reads a range recorded by a skip again, page by page (since_id .. max_id), and stores every
     * readable item in the inbox. For the quarantine replay.
     *
     * @throws IllegalArgumentException when Weibo's answer is still not readable or Weibo refuses
     */
    public int reread(Endpoint endpoint, Long sinceId, String maxId) {
        int stored = 0;
        String resume = maxId;
        for (int pages = 0; resume != null && pages < 1000; pages++) {
            PolledPage page;
            try {
                page = page(endpoint, sinceId, resume);
            } catch (Malformed e) {
                throw new IllegalArgumentException("Weibo's answer for " + range(sinceId, resume) + " is still malformed: " + e.getMessage());
            } catch (PollFailure e) {
                throw new IllegalArgumentException("Weibo did not answer for " + range(sinceId, resume) + ": " + e.getMessage());
            }
            for (PolledPage.Item item : page.items()) {
                try {
                    if (intake.accept(WeiboBindings.CHANNEL, endpoint.source, item.itemId(), item.payload().load())) {
                        stored++;
                    }
                } catch (PollFailure e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }
            page.rejected().forEach(r -> intake.reject(WeiboBindings.CHANNEL, endpoint.source, r.reason(), r.raw()));
            resume = page.next();
        }
        return stored;
    }

    public static final String SKIPPED = "skipped range ";
    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("since_id=(\\d+|none) max_id=(\\d+)");

    /** since_id and max_id of a recorded skip, from its quarantine reason; null when it is not one. */
    public static String[] skippedRange(String reason) {
        if (reason == null || !reason.contains(SKIPPED)) {
            return null;
        }
        java.util.regex.Matcher m = RANGE.matcher(reason);
        return m.find() ? new String[] {m.group(1), m.group(2)} : null;
    }

    public static Endpoint bySource(String source) {
        for (Endpoint e : Endpoint.values()) {
            if (e.source.equals(source)) {
                return e;
            }
        }
        return null;
    }

    static String range(Long sinceId, String resume) {
        return "since_id=" + (sinceId == null ? "none" : sinceId) + " max_id=" + (resume == null ? "newest" : resume);
    }

    /** A 2xx answer that is not a Weibo answer; keeps the raw text for the quarantine. */
    private static final class Malformed extends Exception {
        final String body;

        Malformed(String message, String body) {
            super(message);
            this.body = body;
        }
    }

    private PolledPage page(Endpoint endpoint, Long sinceId, String resume) throws PollFailure, Malformed {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("access_token", auth.token());
        query.put("count", String.valueOf(props.count()));
        if (sinceId != null) {
            query.put("since_id", String.valueOf(sinceId));
        }
        if (resume != null) {
            query.put("max_id", resume);
        }
        Exchange answer = camel.send("direct:weibo-get", ex -> {
            ex.setProperty("hubWeiboPath", endpoint.path);
            ex.getMessage().setHeader(Exchange.HTTP_QUERY, Forms.encode(query));
        });
        if (answer.getException() != null) {
            throw PollFailure.backOff("Weibo not reachable: " + answer.getException().getMessage());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] bytes = answer.getMessage().getBody(byte[].class);
        String body = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        try {
            return WeiboPages.parse(endpoint.list, status, body, props.count(), props.rateLimitPause(), clock);
        } catch (WeiboPages.Malformed e) {
            throw new Malformed(e.getMessage(), body);
        }
    }
}
