package city.hotline.hub.channel.board;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.intake.PagedSource;
import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.ticket.Forms;
import city.hotline.hub.ticket.Json;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.jsoup.nodes.Document;
import org.springframework.stereotype.Component;

/**
 * The board's pages as {@link PagedSource}s. The HTTP calls go through the routes in
 * routes/board.yaml ({@code direct:board-query}, {@code direct:board-page}), whose endpoint URIs
 * come from configuration; this class only builds requests and reads answers.
 */
@Component
public class BoardSources {

    /** 全部: every state; the cursor, not the state filter, decides what is new. */
    static final String ALL_STATES = "1";

    private final ProducerTemplate camel;
    private final BoardProperties props;

    public BoardSources(ProducerTemplate camel, BoardProperties props) {
        this.camel = camel;
        this.props = props;
    }

    /** A forum of the JSON API, paged with {@code lastItem} (the tid of the last thread of the page before). */
    public PagedSource forum(String fid) {
        return resume -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("fid", fid);
            form.put("state", ALL_STATES);
            form.put("lastItem", resume == null ? "0" : resume);
            if (props.pageSize() > 0) {
                form.put("pageSize", String.valueOf(props.pageSize()));
            }
            Exchange answer = call("direct:board-query", null, Forms.encode(form));
            return BoardApiPages.parse(fid, status(answer), text(answer));
        };
    }

    /** A board without an API: list pages (with their "next page" link), a detail page per thread taken in. */
    public PagedSource html(String name, BoardProperties.HtmlBoard board) {
        return resume -> {
            String url = resume == null ? board.listUrl() : resume;
            Document page = document(url);
            HtmlBoardPages.ListPage list = HtmlBoardPages.list(board, page);
            List<PolledPage.Item> items = new ArrayList<>();
            for (HtmlBoardPages.Entry entry : list.entries()) {
                items.add(new PolledPage.Item(entry.id(), name + ":" + entry.id(), entry.time(),
                        () -> payload(name, board, entry)));
            }
            List<PolledPage.Rejected> rejected = list.rejected().stream()
                    .map(r -> new PolledPage.Rejected(r[0], r[1])).toList();
            return new PolledPage(items, rejected, list.next());
        };
    }

    private String payload(String name, BoardProperties.HtmlBoard board, HtmlBoardPages.Entry entry) throws PollFailure {
        HtmlBoardPages.Detail detail = HtmlBoardPages.detail(board.detail(), document(entry.link()));
        // The same field names as the JSON API, so one mapping (mappings/board-ticket.jsonata) reads both.
        Map<String, Object> thread = new LinkedHashMap<>();
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
        thread.values().removeIf(java.util.Objects::isNull);
        return Json.write(thread);
    }

    private Document document(String url) throws PollFailure {
        Exchange answer = call("direct:board-page", url, null);
        int status = status(answer);
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

    private Exchange call(String route, String url, String body) throws PollFailure {
        Exchange answer = camel.send(route, ex -> {
            ex.getMessage().setBody(body);
            if (url != null) {
                ex.getMessage().setHeader("hubPageUrl", url);
            }
        });
        if (answer.getException() != null) {
            throw PollFailure.backOff("board not reachable: " + answer.getException().getMessage());
        }
        return answer;
    }

    private static int status(Exchange answer) {
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    private static String text(Exchange answer) {
        byte[] bytes = answer.getMessage().getBody(byte[].class);
        if (bytes == null) {
            return null;
        }
        String charset = HtmlBoardPages.charsetOf(answer.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        return new String(bytes, charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset));
    }
}
