package city.hotline.hub.channel.generic;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.store.ChannelStateStore;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The {@code http-poll} connector kind (connectors/http-poll-source.kamelet.yaml): a JSON API, paged one of two ways.
 * <ul>
 * <li>{@code paging: cursor} (default): one page per tick, {@code GET <url>[?<cursorParam>=<cursor>]}; the binding's
 * JSONata expressions pick the items ({@code items}), each item's id ({@code itemId}) and the next cursor
 * ({@code cursor}). The cursor lives in {@code poll_cursor} (source {@code http}, column run_resume) and moves only
 * after every item of the page is in the inbox; a failed page makes the channel wait, growing, up to
 * {@code maxBackoff} seconds.</li>
 * <li>{@code paging: watermark}: the API lists newest first and is paged down from the newest item to the highest
 * id stored, per source ({@code sources}, e.g. the board's forums), with resumable runs, first-run
 * {@code backfill}, per-source back-off and re-reads of open items (channel/generic/WatermarkPolls). The request is
 * {@code method} to {@code url} with {@code body}; {@code {source}} and {@code {cursor}} in either are replaced.
 * A {@code reader} bean reads answers that need more than JSONata (the board's envelope).</li>
 * </ul>
 * An item without an id is quarantined. Authorization: a fixed bearer token, or a client-credentials token from
 * {@code tokenUrl}, kept in the database (channel_token, ChannelStateStore) so every instance uses the same one.
 */
@Component("genericHttpPoll")
public class HttpPollIntake {

    public static final String SOURCE = "http";
    /** channel_token's account of a client-credentials token: one per channel and client id. */
    static final String TOKEN_ACCOUNT = "http-poll:";
    private static final Logger LOG = LoggerFactory.getLogger(HttpPollIntake.class);

    private final BuiltInBindings bindings;
    private final PollCursorStore cursors;
    private final PolledIntake intake;
    private final ProducerTemplate producer;
    private final ChannelStateStore state;
    private final WatermarkPolls polls;
    private final ApplicationContext beans;

    public HttpPollIntake(BuiltInBindings bindings, PollCursorStore cursors, PolledIntake intake, ProducerTemplate producer,
                          ChannelStateStore state, WatermarkPolls polls, ApplicationContext beans) {
        this.bindings = bindings;
        this.cursors = cursors;
        this.intake = intake;
        this.producer = producer;
        this.state = state;
        this.polls = polls;
        this.beans = beans;
    }

    /**
     * Sets up the page request; property hubPollDue=false while the channel backs off. In watermark paging the
     * whole poll happens here (every source, as many pages as it takes) and nothing is left for the Kamelet.
     */
    public void request(Exchange exchange) {
        ChannelBinding b = bindings.of(exchange);
        if ("watermark".equals(b.property("paging", "cursor"))) {
            exchange.setProperty("hubPollDue", false);
            exchange.getMessage().setBody(List.of());
            polls.poll(b, sources(b));
            return;
        }
        PollCursorStore.Cursor cursor = cursors.get(b.name(), SOURCE);
        boolean due = cursor.due(Instant.now());
        exchange.setProperty("hubPollDue", due);
        if (!due) {
            return;
        }
        String url = b.property("url");
        if (cursor.runResume() != null) {
            url = withParam(url, b.property("cursorParam", "cursor"), cursor.runResume());
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
        ChannelBinding b = bindings.of(exchange);
        Message msg = exchange.getMessage();
        int code = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = msg.getBody(String.class);
        List<Map<String, String>> items = new ArrayList<>();
        msg.setBody(items);
        if (code < 200 || code >= 300) {
            if (code == 401) {
                forgetToken(b);
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
        String idExpression = b.property("itemId", "id");
        for (JsonNode item : list(b, page)) {
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
        // watermark paging stores its items itself: anything that is not an item is the end of a tick
        if (!(exchange.getMessage().getBody() instanceof Map<?, ?> item) || item.get("itemId") == null) {
            return;
        }
        ChannelBinding b = bindings.of(exchange);
        intake.accept(b.name(), SOURCE, String.valueOf(item.get("itemId")), String.valueOf(item.get("payload")));
    }

    /** Every item of the page is stored: the cursor moves on. */
    public void advance(Exchange exchange) {
        ChannelBinding b = bindings.of(exchange);
        String next = exchange.getProperty("hubPollNext", String.class);
        String previous = exchange.getProperty("hubPollCursor", String.class);
        if (next != null && !next.equals(previous)) {
            cursors.saveProgress(b.name(), SOURCE, null, next);
        }
        cursors.succeeded(b.name(), SOURCE);
    }

    // ---- watermark paging

    /** The binding's sources: each value of {@code sources} (its poll_cursor row {@code sourceKey}), or the one source {@code http}. */
    List<WatermarkPolls.Source> sources(ChannelBinding b) {
        List<String> values = Arrays.stream(b.property("sources", "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (values.isEmpty()) {
            return List.of(new WatermarkPolls.Source(SOURCE, cursor -> fetch(b, "", SOURCE, cursor)));
        }
        String keyPattern = b.property("sourceKey", "{source}");
        return values.stream().map(v -> {
            String key = keyPattern.replace("{source}", v);
            return new WatermarkPolls.Source(key, cursor -> fetch(b, v, key, cursor));
        }).toList();
    }

    /**
     * One page of one source. {@code {source}}, {@code {cursor}} and {@code {watermark}} in url and body are
     * replaced; a query parameter left empty is left out (e.g. {@code since_id={watermark}} on a first run).
     */
    private PolledPage fetch(ChannelBinding b, String source, String sourceKey, String resume) throws PollFailure {
        String cursor = resume == null ? b.property("firstCursor", "") : resume;
        Long watermark = cursors.get(b.name(), sourceKey).watermark();
        String mark = watermark == null ? "" : String.valueOf(watermark);
        String urlTemplate = b.property("url");
        String bodyTemplate = b.property("body");
        String url = fill(urlTemplate, source, cursor, mark);
        String body = bodyTemplate == null ? null : fill(bodyTemplate, source, cursor, mark);
        boolean placed = urlTemplate.contains("{cursor}") || bodyTemplate != null && bodyTemplate.contains("{cursor}");
        if (!placed && !cursor.isEmpty()) {
            url = withParam(url, b.property("cursorParam", "cursor"), cursor);
        }
        String token = token(b);
        String authParam = b.property("authParam");
        if (token != null && authParam != null) {
            url = withParam(url, authParam, token);
        }
        String method = b.property("method", body == null ? "GET" : "POST");
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? null : withoutEmptyParams(url.substring(q + 1));
        Exchange answer = producer.request(http(b), e -> {
            Message m = e.getMessage();
            // the query apart from the URI: a token in it (authParam) stays out of the endpoint's URI
            m.setHeader(Exchange.HTTP_URI, path);
            if (query != null && !query.isEmpty()) {
                m.setHeader(Exchange.HTTP_QUERY, query);
            }
            m.setHeader(Exchange.HTTP_METHOD, method);
            m.setHeader("Accept", "application/json");
            if (body != null) {
                m.setHeader(Exchange.CONTENT_TYPE, b.property("contentType", "application/x-www-form-urlencoded; charset=UTF-8"));
            }
            if (token != null && authParam == null) {
                m.setHeader("Authorization", "Bearer " + token);
            }
            m.setBody(body);
        });
        if (answer.getException() != null) {
            throw PollFailure.backOff("not reachable: " + answer.getException().getMessage());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 401) {
            forgetToken(b);
        }
        String text = text(answer.getMessage().getBody(byte[].class), answer.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        String reader = b.property("reader");
        if (reader != null) {
            return beans.getBean(reader, PageReader.class).read(new PageReader.Request(b.name(), source, sourceKey, watermark, resume),
                    status, text);
        }
        return jsonPage(b, status, text);
    }

    /** The JSONata reader of watermark paging: items, itemId (a number, the order), itemTime; the next page starts at the last id. */
    private PolledPage jsonPage(ChannelBinding b, int status, String text) throws PollFailure {
        if (status < 200 || status >= 300) {
            throw PollFailure.backOff("the API answered " + status);
        }
        JsonNode page;
        try {
            page = Json.read(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw PollFailure.backOff("the API's answer is not JSON: " + e.getMessage());
        }
        String idExpression = b.property("itemId", "id");
        String timeExpression = b.property("itemTime");
        String prefix = b.property("itemIdPrefix", "");
        List<PolledPage.Item> items = new ArrayList<>();
        List<PolledPage.Rejected> rejected = new ArrayList<>();
        JsonNode list = list(b, page);
        Long last = null;
        for (JsonNode item : list) {
            String id = item.isObject() ? ChannelExpressions.text(idExpression, item) : null;
            if (id == null || !id.matches("[0-9]{1,18}")) {
                rejected.add(new PolledPage.Rejected("item without a numeric id ('" + idExpression + "')", Json.write(item)));
                continue;
            }
            Instant time;
            try {
                time = timeExpression == null ? null : time(ChannelExpressions.evaluate(timeExpression, item));
            } catch (RuntimeException e) {
                rejected.add(new PolledPage.Rejected("item " + id + ": unreadable time (" + e.getMessage() + ")", Json.write(item)));
                continue;
            }
            last = Long.parseLong(id);
            items.add(PolledPage.Item.of(last, prefix + id, time, Json.write(item)));
        }
        if (!list.isEmpty() && last == null) {
            throw PollFailure.backOff("malformed page: " + list.size() + " items, none with a numeric id to page on");
        }
        return new PolledPage(items, rejected, last == null ? null : String.valueOf(last));
    }

    /** Epoch milliseconds, or an ISO-8601 instant / offset date-time. */
    static Instant time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        String t = value.asText();
        return t.endsWith("Z") ? Instant.parse(t) : OffsetDateTime.parse(t).toInstant();
    }

    private static JsonNode list(ChannelBinding b, JsonNode page) {
        JsonNode list = ChannelExpressions.evaluate(b.property("items", "items"), page);
        if (list == null || list.isMissingNode() || list.isNull()) {
            return Json.MAPPER.createArrayNode();
        }
        return list.isArray() ? list : Json.MAPPER.createArrayNode().add(list);
    }

    private static String fill(String template, String source, String cursor, String watermark) {
        return template.replace("{source}", URLEncoder.encode(source, StandardCharsets.UTF_8))
                .replace("{cursor}", URLEncoder.encode(cursor, StandardCharsets.UTF_8))
                .replace("{watermark}", URLEncoder.encode(watermark, StandardCharsets.UTF_8));
    }

    private static String withoutEmptyParams(String query) {
        return Arrays.stream(query.split("&")).filter(p -> !p.isEmpty() && !p.endsWith("=")).reduce((x, y) -> x + "&" + y).orElse("");
    }

    private static String withParam(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The answer's text in the charset its Content-Type names, else UTF-8. */
    static String text(byte[] bytes, String contentType) {
        if (bytes == null) {
            return null;
        }
        Charset charset = StandardCharsets.UTF_8;
        try {
            if (contentType != null && !contentType.isBlank() && MediaType.parseMediaType(contentType).getCharset() != null) {
                charset = MediaType.parseMediaType(contentType).getCharset();
            }
        } catch (IllegalArgumentException e) {
            // an unknown or illegal charset name: UTF-8, as the JSON standard says
        }
        return new String(bytes, charset);
    }

    private void backOff(ChannelBinding b, String error) {
        int failures = cursors.failed(b.name(), SOURCE, error);
        long interval = Long.parseLong(b.property("interval", "60000"));
        long max = Long.parseLong(b.property("maxBackoff", "3600")) * 1000;
        long delay = Math.min(max, interval * (1L << Math.min(failures, 10)));
        cursors.pause(b.name(), SOURCE, Instant.now().plus(Duration.ofMillis(delay)), error);
        LOG.warn("Channel {}: poll failed ({} in a row), next in {} ms: {}", b.name(), failures, delay, error);
    }

    // ---- authorization

    /**
     * The bearer token: the fixed one, or the client-credentials token every instance shares (channel_token).
     * It is fetched under the account's advisory lock, so two instances that find it expired ask the token
     * endpoint once; it is kept until a minute before it expires.
     */
    String token(ChannelBinding b) {
        String source = b.property("authBean");
        if (source != null) {
            return beans.getBean(source, TokenSource.class).token();
        }
        String fixed = b.property("accessToken");
        if (fixed != null && !fixed.isBlank()) {
            return fixed;
        }
        String tokenUrl = b.property("tokenUrl");
        if (tokenUrl == null || tokenUrl.isBlank()) {
            return null;
        }
        String account = TOKEN_ACCOUNT + b.property("clientId", "");
        Optional<ChannelStateStore.Token> stored = state.token(b.name(), account).filter(HttpPollIntake::valid);
        if (stored.isPresent()) {
            return stored.get().value();
        }
        return state.refreshLocked(b.name(), account, current -> current.filter(HttpPollIntake::valid)
                .or(() -> Optional.of(fetchToken(b, tokenUrl)))).value();
    }

    private static boolean valid(ChannelStateStore.Token t) {
        return t.value() != null && t.expiresAt() != null && t.expiresAt().isAfter(Instant.now());
    }

    private ChannelStateStore.Token fetchToken(ChannelBinding b, String tokenUrl) {
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
        LOG.info("Channel {}: new access token from the token endpoint, for {} s", b.name(), expiresIn);
        return new ChannelStateStore.Token(value, Instant.now().plusSeconds(Math.max(0, expiresIn - 60)));
    }

    private void forgetToken(ChannelBinding b) {
        if (b.property("tokenUrl") != null) {
            state.forgetToken(b.name(), TOKEN_ACCOUNT + b.property("clientId", ""));
        }
    }

    /** The HTTP endpoint of a binding: never throws on 4xx/5xx (the answer is read), its timeouts from the binding. */
    private static String http(ChannelBinding b) {
        return "http://http-poll-source?throwExceptionOnFailure=false&connectTimeout=" + b.property("connectTimeout", "5000")
                + "&responseTimeout=" + b.property("responseTimeout", "20000");
    }
}
