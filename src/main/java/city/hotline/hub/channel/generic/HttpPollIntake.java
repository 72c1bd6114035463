package city.hotline.hub.channel.generic;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelMappings;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code http-poll} connector kind (connectors/http-poll-source.kamelet.yaml): a JSON API read one
 * page per tick, {@code GET <url>[?<cursorParam>=<cursor>]}. The binding's JSONata expressions pick the
 * items ({@code items}), each item's id ({@code itemId}) and the next cursor ({@code cursor}) out of the
 * response. The cursor lives in {@code poll_cursor} (PollCursorStore, source {@code http}, column
 * run_resume) and moves only after every item of the page is in the inbox, so a crash reads the page
 * again and the inbox drops what it already has. An item without an id is quarantined; a failed page
 * (non-2xx, not JSON) makes the channel wait, growing, up to {@code maxBackoff} seconds.
 * With {@code tokenUrl}, a client-credentials token is fetched and kept until shortly before it expires.
 */
@Component("genericHttpPoll")
public class HttpPollIntake {

    public static final String SOURCE = "http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpPollIntake.class);

    private record Token(String value, Instant expires) {
    }

    private final ChannelMappings channels;
    private final PollCursorStore cursors;
    private final PolledIntake intake;
    private final ProducerTemplate producer;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public HttpPollIntake(ChannelMappings channels, PollCursorStore cursors, PolledIntake intake, ProducerTemplate producer) {
        this.channels = channels;
        this.cursors = cursors;
        this.intake = intake;
        this.producer = producer;
    }

    /** Sets up the page request; property hubPollDue=false while the channel backs off. */
    public void request(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        PollCursorStore.Cursor cursor = cursors.get(b.name(), SOURCE);
        boolean due = cursor.due(Instant.now());
        exchange.setProperty("hubPollDue", due);
        if (!due) {
            return;
        }
        String url = b.property("url");
        if (cursor.runResume() != null) {
            url += (url.contains("?") ? "&" : "?") + URLEncoder.encode(b.property("cursorParam", "cursor"), StandardCharsets.UTF_8)
                    + "=" + URLEncoder.encode(cursor.runResume(), StandardCharsets.UTF_8);
        }
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setBody(null);
        msg.setHeader(Exchange.HTTP_URI, url);
        msg.setHeader(Exchange.HTTP_METHOD, "GET");
        msg.setHeader("Accept", "application/json");
        String token = token(b);
        if (token != null) {
            msg.setHeader("Authorization", "Bearer " + token);
        }
        exchange.setProperty("hubPollCursor", cursor.runResume());
    }

    /** Reads the page: body = the new items ({itemId, payload}); the next cursor in property hubPollNext. */
    public void page(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        Message msg = exchange.getMessage();
        int code = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = msg.getBody(String.class);
        List<Map<String, String>> items = new ArrayList<>();
        msg.setBody(items);
        if (code < 200 || code >= 300) {
            if (code == 401) {
                tokens.remove(b.name());
            }
            backOff(b, "the API answered " + code);
            return;
        }
        JsonNode page;
        try {
            page = Json.read(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            backOff(b, "the API's answer is not JSON: " + e.getMessage());
            return;
        }
        JsonNode list = ChannelExpressions.evaluate(b.property("items", "items"), page);
        if (list != null && !list.isArray()) {
            list = Json.MAPPER.createArrayNode().add(list);
        }
        String idExpression = b.property("itemId", "id");
        for (JsonNode item : list == null ? Json.MAPPER.createArrayNode() : list) {
            String id = item.isObject() ? ChannelExpressions.text(idExpression, item) : null;
            if (id == null) {
                // bad data from the source: kept, visible and replayable, the rest of the page goes on
                intake.reject(b.name(), SOURCE, "item without an id ('" + idExpression + "' selects nothing)", Json.write(item));
                continue;
            }
            items.add(Map.of("itemId", id, "payload", Json.write(item)));
        }
        String cursorExpression = b.property("cursor");
        exchange.setProperty("hubPollNext", cursorExpression == null ? null : ChannelExpressions.text(cursorExpression, page));
    }

    /** One item of the page, from the Kamelet to the channel's intake route: into the inbox. */
    public void accept(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        @SuppressWarnings("unchecked")
        Map<String, String> item = exchange.getMessage().getBody(Map.class);
        intake.accept(b.name(), SOURCE, item.get("itemId"), item.get("payload"));
    }

    /** Every item of the page is stored: the cursor moves on. */
    public void advance(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        String next = exchange.getProperty("hubPollNext", String.class);
        String previous = exchange.getProperty("hubPollCursor", String.class);
        if (next != null && !next.equals(previous)) {
            cursors.saveProgress(b.name(), SOURCE, null, next);
        }
        cursors.succeeded(b.name(), SOURCE);
    }

    private void backOff(ChannelBinding b, String error) {
        int failures = cursors.failed(b.name(), SOURCE, error);
        long interval = Long.parseLong(b.property("interval", "60000"));
        long max = Long.parseLong(b.property("maxBackoff", "3600")) * 1000;
        long delay = Math.min(max, interval * (1L << Math.min(failures, 10)));
        cursors.pause(b.name(), SOURCE, Instant.now().plus(Duration.ofMillis(delay)), error);
        LOG.warn("Channel {}: poll failed ({} in a row), next in {} ms: {}", b.name(), failures, delay, error);
    }

    private String token(ChannelBinding b) {
        String fixed = b.property("accessToken");
        if (fixed != null && !fixed.isBlank()) {
            return fixed;
        }
        String tokenUrl = b.property("tokenUrl");
        if (tokenUrl == null || tokenUrl.isBlank()) {
            return null;
        }
        Token t = tokens.get(b.name());
        if (t != null && t.expires().isAfter(Instant.now())) {
            return t.value();
        }
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(b.property("clientId", ""), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(b.property("clientSecret", ""), StandardCharsets.UTF_8);
        Exchange answer = producer.request("http://token", e -> {
            e.getMessage().setHeader(Exchange.HTTP_URI, tokenUrl);
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            e.getMessage().setBody(form);
        });
        if (answer.getException() != null) {
            throw new IllegalStateException("token endpoint failed: " + answer.getException().getMessage());
        }
        JsonNode json = Json.read(answer.getMessage().getBody(String.class));
        String value = json.path("access_token").asText(null);
        if (value == null) {
            throw new IllegalStateException("token endpoint gave no access_token");
        }
        long expiresIn = json.path("expires_in").asLong(3600);
        tokens.put(b.name(), new Token(value, Instant.now().plusSeconds(Math.max(0, expiresIn - 60))));
        return value;
    }

    private ChannelBinding binding(Exchange exchange) {
        String channel = exchange.getProperty("hubChannel", String.class);
        if (channel == null) {
            channel = exchange.getMessage().getHeader("hubChannel", String.class);
        }
        String name = channel;
        return channels.find(name).map(ChannelMappings.Accepted::binding)
                .orElseThrow(() -> new IllegalStateException("channel '" + name + "' is not running"));
    }
}
