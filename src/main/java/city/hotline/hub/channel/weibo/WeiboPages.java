package city.hotline.hub.channel.weibo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one answer of {@code /2/statuses/mentions.json} ({@code statuses}) or
 * {@code /2/comments/mentions.json} ({@code comments}) into normalised items: ids from
 * {@code idstr} (they pass 2^53, so never through a double), {@code created_at} to UTC, the text
 * split into the citizen's own words and the repost chain.
 */
public final class WeiboPages {

    /** A body that is not JSON at all: the caller quarantines it and backs off. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }

    private WeiboPages() {
    }

    /**
     * @param list            "statuses" or "comments"
     * @param requested       the {@code count} asked for: a full page means there may be more
     * @param rateLimitPause  null: until the next full hour
     */
    public static PolledPage parse(String list, int httpStatus, String body, int requested, Duration rateLimitPause, Clock clock)
            throws PollFailure, Malformed {
        if (body == null || body.isBlank()) {
            throw PollFailure.backOff("HTTP " + httpStatus + " with an empty body");
        }
        JsonNode answer;
        try {
            answer = Json.read(body);
        } catch (IllegalArgumentException e) {
            if (httpStatus < 200 || httpStatus >= 300) {
                // a proxy's or gateway's error page, not a Weibo answer: nothing to quarantine
                throw PollFailure.backOff("HTTP " + httpStatus + ": " + abbreviate(body));
            }
            throw new Malformed(e.getMessage());
        }
        Integer code = WeiboErrors.code(answer);
        if (code != null) {
            String why = WeiboErrors.describe(code, answer);
            switch (WeiboErrors.kind(code)) {
                case RATE_LIMITED -> throw PollFailure.pauseUntil(pauseEnd(rateLimitPause, clock), why);
                case REAUTHORISE -> throw PollFailure.reauthorise("re-authorisation needed: " + why);
                default -> throw PollFailure.backOff(why);
            }
        }
        if (httpStatus < 200 || httpStatus >= 300) {
            throw PollFailure.backOff("HTTP " + httpStatus + ": " + abbreviate(body));
        }
        JsonNode array = answer.get(list);
        if (array == null || !array.isArray()) {
            throw new Malformed("no '" + list + "' list in the answer");
        }
        String kind = "comments".equals(list) ? "comment" : "status";
        List<PolledPage.Item> items = new ArrayList<>();
        List<PolledPage.Rejected> rejected = new ArrayList<>();
        Long lowest = null;
        for (JsonNode node : array) {
            // a rejected item's id (when it has one) still tells where the next page starts
            String anyId = idOf(node);
            if (anyId != null) {
                try {
                    long id = Long.parseLong(anyId);
                    lowest = lowest == null ? id : Math.min(lowest, id);
                } catch (NumberFormatException tooBig) {
                    // not an id Weibo gives out; the item is rejected below
                }
            }
            try {
                Map<String, Object> item = normalise(kind, node);
                long id = Long.parseLong((String) item.get("id"));
                items.add(PolledPage.Item.of(id, (String) item.get("id"), Instant.parse((String) item.get("createdAt")), Json.write(item)));
                lowest = lowest == null ? id : Math.min(lowest, id);
            } catch (IllegalArgumentException e) {
                rejected.add(new PolledPage.Rejected(e.getMessage(), Json.write(node)));
            }
        }
        // A page shorter than `count` is not the end: Weibo drops deleted and hidden posts from a page
        // after counting it. Only an empty page is the end (since_id bounds every request).
        return new PolledPage(items, rejected, lowest != null && lowest > 0 ? String.valueOf(lowest - 1) : null);
    }

    /** The item as the inbox stores it (mapping: mappings/weibo-ticket.jsonata). */
    public static Map<String, Object> normalise(String kind, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("item is not a JSON object");
        }
        String id = idOf(node);
        if (id == null) {
            throw new IllegalArgumentException("item without idstr / id");
        }
        Instant created = WeiboText.createdAt(node.path("created_at").asText(null));
        WeiboText.Split text = WeiboText.split(node.path("text").asText(""));
        if (text.own().isEmpty() && text.chain() == null) {
            throw new IllegalArgumentException("item " + id + " has no text");
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", kind);
        item.put("id", id);
        if ("comment".equals(kind)) {
            item.put("statusId", idOf(node.path("status")));
        }
        item.put("text", text.own());
        item.put("repostChain", text.chain());
        item.put("createdAt", created.truncatedTo(ChronoUnit.SECONDS).toString());
        JsonNode user = node.path("user");
        if (user.isObject()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", idOf(user));
            u.put("name", user.hasNonNull("screen_name") ? user.get("screen_name").asText() : user.path("name").asText(null));
            u.values().removeIf(java.util.Objects::isNull);
            item.put("user", u);
        }
        item.values().removeIf(java.util.Objects::isNull);
        return item;
    }

    /** {@code idstr}, else {@code id} as its exact digits (the strict reader keeps big integers exact). */
    static String idOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode idstr = node.get("idstr");
        if (idstr != null && idstr.isTextual() && idstr.asText().matches("[0-9]{1,19}")) {
            return idstr.asText();
        }
        JsonNode id = node.get("id");
        if (id != null && (id.isIntegralNumber() || id.isTextual()) && id.asText().matches("[0-9]{1,19}")) {
            return id.asText();
        }
        return null;
    }

    static Instant pauseEnd(Duration pause, Clock clock) {
        Instant now = clock.instant();
        if (pause == null || pause.isZero()) {
            return now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        }
        return now.plus(pause);
    }

    static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
