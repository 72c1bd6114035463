package city.hotline.hub.channel.generic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import city.hotline.hub.channel.board.BoardProperties;
import city.hotline.hub.channel.board.HtmlBoardPages;
import city.hotline.hub.intake.PagedSource;
import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.ticket.Json;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.jsoup.nodes.Document;
import org.springframework.stereotype.Component;

/**
 * The {@code html-board} connector kind (connectors/html-board-source.kamelet.yaml): a message board without an
 * API, scraped with jsoup by the binding's CSS selectors, with the board channel's page reader
 * (channel/board/HtmlBoardPages: charset from the header or the page, ids from the thread link). The list is read
 * from its first page down, following {@code nextPage}, to the watermark (the highest thread id stored, poll_cursor
 * row {@code source}, default {@code html}), with the paging of the poll kinds (channel/generic/WatermarkPolls:
 * resumable runs, {@code backfill}, growing back-off, re-reads of open threads with a {@code tracker}). Each new
 * thread's detail page is read for its content. A list row without a readable id or time is quarantined.
 * Items have the kind's shape {@code {board, tid, link, subject, postedAt, state, content, author, answer,
 * answerOrganization}}, or with {@code itemShape: board-api} the field names of the board's JSON API (so
 * mappings/board-ticket.jsonata reads both: the built-in board's scraped boards).
 */
@Component("genericHtmlBoard")
public class HtmlBoardIntake {

    public static final String SOURCE = "html";

    private final BuiltInBindings bindings;
    private final PolledIntake intake;
    private final ProducerTemplate producer;
    private final WatermarkPolls polls;

    public HtmlBoardIntake(BuiltInBindings bindings, PolledIntake intake, ProducerTemplate producer, WatermarkPolls polls) {
        this.bindings = bindings;
        this.intake = intake;
        this.producer = producer;
        this.polls = polls;
    }

    /** One tick: the board's new threads go into the inbox, its open threads are read again when due. */
    public void poll(Exchange exchange) {
        ChannelBinding b = bindings.of(exchange);
        exchange.getMessage().setBody(List.of());
        polls.poll(b, List.of(new WatermarkPolls.Source(b.property("source", SOURCE), pages(b))));
    }

    /**
     * The Kamelet's intake route. The poll stores the threads itself (intake/CursorRun), so nothing is handed on;
     * a body that is an item ({itemId, payload}) is still stored, anything else is the end of a tick.
     */
    public void accept(Exchange exchange) {
        if (!(exchange.getMessage().getBody() instanceof Map<?, ?> item) || item.get("itemId") == null) {
            return;
        }
        ChannelBinding b = bindings.of(exchange);
        intake.accept(b.name(), b.property("source", SOURCE), String.valueOf(item.get("itemId")), String.valueOf(item.get("payload")));
    }

    private PagedSource pages(ChannelBinding b) {
        BoardProperties.HtmlBoard board = board(b);
        String prefix = b.property("itemIdPrefix", "");
        return resume -> {
            String url = resume == null ? board.listUrl() : resume;
            HtmlBoardPages.ListPage list = HtmlBoardPages.list(board, document(b, url));
            List<PolledPage.Item> items = new ArrayList<>();
            for (HtmlBoardPages.Entry entry : list.entries()) {
                items.add(new PolledPage.Item(entry.id(), prefix + entry.id(), entry.time(), () -> payload(b, board, entry)));
            }
            List<PolledPage.Rejected> rejected = list.rejected().stream().map(r -> new PolledPage.Rejected(r[0], r[1])).toList();
            return new PolledPage(items, rejected, list.next());
        };
    }

    private String payload(ChannelBinding b, BoardProperties.HtmlBoard board, HtmlBoardPages.Entry entry) throws PollFailure {
        BoardProperties.Detail selectors = board.detail();
        boolean detailPage = selectors.content() != null && !selectors.content().isBlank();
        HtmlBoardPages.Detail detail = detailPage ? HtmlBoardPages.detail(selectors, document(b, entry.link()))
                : new HtmlBoardPages.Detail(null, null, null, null);
        String name = b.property("boardName", b.name());
        Map<String, Object> thread = new LinkedHashMap<>();
        if ("board-api".equals(b.property("itemShape"))) {
            // the field names of the board's JSON API, so one mapping (mappings/board-ticket.jsonata) reads both
            thread.put("board", name);
            thread.put("tid", entry.id());
            thread.put("subject", entry.subject());
            thread.put("content", detail.content());
            thread.put("nickName", detail.author());
            thread.put("dateline", entry.time() == null ? null : entry.time().getEpochSecond());
            thread.put("stateInfo", entry.state());
            thread.put("answerOrganization", detail.answerOrganization());
            thread.put("answerContent", detail.answer());
            thread.put("link", entry.link());
        } else {
            thread.put("board", name);
            thread.put("tid", Long.toString(entry.id()));
            thread.put("link", entry.link());
            thread.put("subject", entry.subject());
            thread.put("postedAt", entry.time() == null ? null : entry.time().toString());
            thread.put("state", entry.state());
            thread.put("content", detail.content());
            thread.put("author", detail.author());
            thread.put("answer", detail.answer());
            thread.put("answerOrganization", detail.answerOrganization());
        }
        thread.values().removeIf(Objects::isNull);
        return Json.write(thread);
    }

    private Document document(ChannelBinding b, String url) throws PollFailure {
        Exchange answer = producer.request(http(b), e -> {
            e.getMessage().setHeader(Exchange.HTTP_URI, url);
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        });
        if (answer.getException() != null) {
            throw PollFailure.backOff("board not reachable: " + answer.getException().getMessage());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 403 || status == 429) {
            throw PollFailure.backOff("HTTP " + status + " from the board's firewall at " + url);
        }
        if (status < 200 || status >= 300) {
            throw PollFailure.backOff("HTTP " + status + " for " + url);
        }
        byte[] bytes = answer.getMessage().getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            throw PollFailure.backOff("empty page at " + url);
        }
        return HtmlBoardPages.parse(bytes, answer.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class), url);
    }

    private static BoardProperties.HtmlBoard board(ChannelBinding b) {
        return new BoardProperties.HtmlBoard(true, b.property("listUrl"), b.property("item"), b.property("link"),
                b.property("idPattern", "(\\d+)"), b.property("subject"), b.property("time"),
                b.property("timeFormat", "yyyy-MM-dd HH:mm:ss"), b.property("zone", "Asia/Shanghai"), b.property("state"),
                b.property("nextPage"), new BoardProperties.Detail(b.property("detailContent"), b.property("detailAuthor"),
                        b.property("detailAnswer"), b.property("detailAnswerOrganization")));
    }

    /** The HTTP endpoint of a binding: never throws on 4xx/5xx (the answer is read), its timeouts from the binding. */
    private static String http(ChannelBinding b) {
        return "http://html-board?throwExceptionOnFailure=false&connectTimeout=" + b.property("connectTimeout", "5000")
                + "&responseTimeout=" + b.property("responseTimeout", "20000");
    }
}
