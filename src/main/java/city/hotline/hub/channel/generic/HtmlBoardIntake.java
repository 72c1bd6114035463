package city.hotline.hub.channel.generic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.channel.board.BoardProperties;
import city.hotline.hub.channel.board.HtmlBoardPages;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelMappings;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.jsoup.nodes.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code html-board} connector kind (connectors/html-board-source.kamelet.yaml): a message board without an
 * API, scraped with jsoup by the binding's CSS selectors, with the same page reader as the built-in board
 * channel (channel/board/HtmlBoardPages: charset from the header or the page, ids from the thread link).
 * Every tick the list is read from its first page, following {@code nextPage} while it still shows threads
 * above the watermark (at most {@code maxPages}); each new thread's detail page is read for its content and
 * author. The watermark (the highest thread id stored, poll_cursor source {@code html}) moves only once every
 * new thread is in the inbox. A list row without a readable id or time is quarantined; a page the board does
 * not serve makes the channel wait, growing.
 */
@Component("genericHtmlBoard")
public class HtmlBoardIntake {

    public static final String SOURCE = "html";
    private static final Logger LOG = LoggerFactory.getLogger(HtmlBoardIntake.class);

    private final ChannelMappings channels;
    private final PollCursorStore cursors;
    private final PolledIntake intake;
    private final ProducerTemplate producer;

    public HtmlBoardIntake(ChannelMappings channels, PollCursorStore cursors, PolledIntake intake, ProducerTemplate producer) {
        this.channels = channels;
        this.cursors = cursors;
        this.intake = intake;
        this.producer = producer;
    }

    /** Reads the new threads: body = [{itemId, payload}], oldest first; property hubHtmlHigh = the highest id. */
    public void poll(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        List<Map<String, String>> items = new ArrayList<>();
        exchange.getMessage().setBody(items);
        PollCursorStore.Cursor cursor = cursors.get(b.name(), SOURCE);
        if (!cursor.due(Instant.now())) {
            return;
        }
        long watermark = cursor.watermark() == null ? 0 : cursor.watermark();
        BoardProperties.HtmlBoard board = board(b);
        Map<Long, HtmlBoardPages.Entry> fresh = new LinkedHashMap<>();
        String url = b.property("listUrl");
        int maxPages = Integer.parseInt(b.property("maxPages", "5"));
        try {
            for (int page = 0; page < maxPages && url != null; page++) {
                HtmlBoardPages.ListPage list = HtmlBoardPages.list(board, fetch(url));
                for (String[] rejected : list.rejected()) {
                    intake.reject(b.name(), SOURCE, rejected[0], rejected[1]);
                }
                boolean anyNew = false;
                for (HtmlBoardPages.Entry e : list.entries()) {
                    if (e.id() > watermark) {
                        fresh.putIfAbsent(e.id(), e);
                        anyNew = true;
                    }
                }
                url = anyNew ? list.next() : null;
            }
            List<HtmlBoardPages.Entry> ordered = new ArrayList<>(fresh.values());
            ordered.sort(Comparator.comparingLong(HtmlBoardPages.Entry::id));
            BoardProperties.Detail selectors = new BoardProperties.Detail(b.property("detailContent"), b.property("detailAuthor"), null, null);
            for (HtmlBoardPages.Entry e : ordered) {
                ObjectNode item = Json.object();
                item.put("board", b.name());
                item.put("tid", Long.toString(e.id()));
                item.put("link", e.link());
                item.put("subject", e.subject());
                if (e.time() != null) {
                    item.put("postedAt", e.time().toString());
                }
                item.put("state", e.state());
                if (selectors.content() != null && !selectors.content().isBlank()) {
                    HtmlBoardPages.Detail d = HtmlBoardPages.detail(selectors, fetch(e.link()));
                    item.put("content", d.content());
                    item.put("author", d.author());
                }
                items.add(Map.of("itemId", Long.toString(e.id()), "payload", Json.write(item)));
            }
            exchange.setProperty("hubHtmlHigh", ordered.isEmpty() ? null : ordered.get(ordered.size() - 1).id());
        } catch (PageRefused e) {
            items.clear();
            int failures = cursors.failed(b.name(), SOURCE, e.getMessage());
            long interval = Long.parseLong(b.property("interval", "300000"));
            long max = Long.parseLong(b.property("maxBackoff", "3600")) * 1000;
            long delay = Math.min(max, interval * (1L << Math.min(failures, 10)));
            cursors.pause(b.name(), SOURCE, Instant.now().plus(Duration.ofMillis(delay)), e.getMessage());
            LOG.warn("Channel {}: board page failed ({} in a row), next in {} ms: {}", b.name(), failures, delay, e.getMessage());
        }
    }

    public void accept(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        @SuppressWarnings("unchecked")
        Map<String, String> item = exchange.getMessage().getBody(Map.class);
        intake.accept(b.name(), SOURCE, item.get("itemId"), item.get("payload"));
    }

    /** Every new thread is in the inbox: the watermark moves to the highest. */
    public void advance(Exchange exchange) {
        ChannelBinding b = binding(exchange);
        Long high = exchange.getProperty("hubHtmlHigh", Long.class);
        if (high != null) {
            cursors.finishRun(b.name(), SOURCE, high);
        } else {
            cursors.succeeded(b.name(), SOURCE);
        }
    }

    private Document fetch(String url) {
        Exchange answer = producer.request("http://html-board", e -> {
            e.getMessage().setHeader(Exchange.HTTP_URI, url);
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        });
        if (answer.getException() != null) {
            throw new PageRefused(url + ": " + answer.getException().getMessage());
        }
        int code = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code < 200 || code >= 300) {
            throw new PageRefused("HTTP " + code + " for " + url);
        }
        byte[] bytes = answer.getMessage().getBody(byte[].class);
        return HtmlBoardPages.parse(bytes == null ? new byte[0] : bytes, answer.getMessage().getHeader("Content-Type", String.class), url);
    }

    private static BoardProperties.HtmlBoard board(ChannelBinding b) {
        return new BoardProperties.HtmlBoard(true, b.property("listUrl"), b.property("item"), b.property("link"),
                b.property("idPattern", "(\\d+)"), b.property("subject"), b.property("time"),
                b.property("timeFormat", "yyyy-MM-dd HH:mm:ss"), b.property("zone", "Asia/Shanghai"), b.property("state"),
                b.property("nextPage"), null);
    }

    private ChannelBinding binding(Exchange exchange) {
        String name = exchange.getProperty("hubChannel", String.class);
        return channels.find(name).map(ChannelMappings.Accepted::binding)
                .orElseThrow(() -> new IllegalStateException("channel '" + name + "' is not running"));
    }

    private static final class PageRefused extends RuntimeException {
        PageRefused(String message) {
            super(message);
        }
    }
}
