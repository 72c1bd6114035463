package city.hotline.hub.channel.board;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one answer of the board's thread-list API ({@code POST /threads/queryThreadsList}):
 * envelope {@code {result, resultDesc, responseData:[{tid, fid, subject, content, dateline, ...}]}}.
 * Whatever is not a usable page (firewall 403/429, an empty or non-JSON body, {@code result} other
 * than "success") is a {@link PollFailure} to back off from; a single unreadable thread in a good
 * page is rejected (quarantined) and the others go on.
 */
public final class BoardApiPages {

    private BoardApiPages() {
    }

    public static PolledPage parse(String fid, int httpStatus, String body) throws PollFailure {
        if (httpStatus == 403 || httpStatus == 429) {
            throw PollFailure.backOff("HTTP " + httpStatus + " from the board's firewall");
        }
        if (httpStatus < 200 || httpStatus >= 300) {
            throw PollFailure.backOff("HTTP " + httpStatus + " from the board");
        }
        if (body == null || body.isBlank()) {
            throw PollFailure.backOff("empty body from the board");
        }
        JsonNode envelope;
        try {
            envelope = Json.read(body);
        } catch (IllegalArgumentException e) {
            throw PollFailure.backOff("malformed body (not JSON): " + abbreviate(body));
        }
        if (!envelope.isObject() || !envelope.has("result")) {
            throw PollFailure.backOff("malformed body (no result field): " + abbreviate(body));
        }
        if (!"success".equals(envelope.get("result").asText())) {
            throw PollFailure.backOff("board answered result=" + envelope.get("result").asText() + ": "
                    + envelope.path("resultDesc").asText(""));
        }
        JsonNode data = envelope.get("responseData");
        if (data == null || data.isNull()) {
            return PolledPage.empty();
        }
        if (!data.isArray()) {
            throw PollFailure.backOff("malformed body (responseData is not a list): " + abbreviate(body));
        }
        List<PolledPage.Item> items = new ArrayList<>();
        List<PolledPage.Rejected> rejected = new ArrayList<>();
        Long last = null;
        for (JsonNode node : data) {
            String problem = problem(node);
            if (problem != null) {
                rejected.add(new PolledPage.Rejected(problem, Json.write(node)));
                // a rejected thread's tid, when it has one, still tells where the next page starts
                String tidText = node.path("tid").asText("");
                if (tidText.matches("[0-9]{1,18}")) {
                    last = Long.valueOf(tidText);
                }
                continue;
            }
            ObjectNode thread = ((ObjectNode) node).deepCopy();
            long tid = thread.get("tid").asLong();
            if (!thread.hasNonNull("fid")) {
                thread.put("fid", fid);
            }
            items.add(PolledPage.Item.of(tid, String.valueOf(tid), time(thread.get("dateline")), Json.write(thread)));
            last = tid;
        }
        if (!data.isEmpty() && last == null) {
            // every thread rejected and none with a tid to page on: ending the run here would move the
            // watermark past older unread threads, so this counts as a failed poll (retried with back-off)
            throw PollFailure.backOff("malformed page: " + data.size() + " threads, none with a tid to page on");
        }
        return new PolledPage(items, rejected, data.isEmpty() ? null : String.valueOf(last));
    }

    /** Why a thread cannot be taken in, or null when it can. */
    static String problem(JsonNode node) {
        if (!node.isObject()) {
            return "thread is not a JSON object";
        }
        JsonNode tid = node.get("tid");
        if (tid == null || !((tid.isIntegralNumber() || tid.isTextual()) && tid.asText().matches("[1-9][0-9]{0,17}"))) {
            return "thread without a numeric tid";
        }
        JsonNode dateline = node.get("dateline");
        // at most 13 digits (milliseconds): a larger or negative number is no time at all (and would overflow Instant)
        if (dateline != null && !dateline.isNull() && !(dateline.isIntegralNumber() && dateline.asText().matches("[0-9]{1,13}")
                || dateline.isTextual() && dateline.asText().matches("[0-9]{9,13}"))) {
            return "dateline is not epoch seconds: " + dateline;
        }
        if (node.path("subject").asText("").isBlank() && node.path("content").asText("").isBlank()) {
            return "thread " + tid.asText() + " has neither subject nor content";
        }
        return null;
    }

    /** Epoch seconds; 13 digits are milliseconds sent by mistake (seen on some boards). */
    static Instant time(JsonNode dateline) {
        if (dateline == null || dateline.isNull()) {
            return null;
        }
        long v = dateline.asLong();
        return v > 99_999_999_999L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
    }

    static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 120 ? one.substring(0, 120) + "…" : one;
    }
}
