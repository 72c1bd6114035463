package city.hotline.hub.channel.weibo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.intake.PagedSource;
import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.ticket.Forms;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The two mention endpoints as {@link PagedSource}s: newest first with {@code since_id} = the
 * watermark, older pages with {@code max_id} (never {@code page}, which stops at ~1000 items).
 * The GET goes through the route {@code weibo-get}; the token travels in the query (as the API
 * documents) but never in an endpoint URI or a log line.
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

    public PagedSource endpoint(Endpoint endpoint, Long sinceId) {
        return resume -> {
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
                intake.reject(WeiboPoller.CHANNEL, endpoint.source, "malformed answer: " + e.getMessage(), body);
                throw PollFailure.backOff("malformed answer (quarantined): " + e.getMessage());
            }
        };
    }
}
