package city.hotline.hub.channel.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import city.hotline.hub.ticket.PlainText;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The example board of application.yml on saved pages (GBK and UTF-8) built from fixture rows. */
class HtmlBoardPagesTest {

    static final BoardProperties.HtmlBoard CITY_BOARD = new BoardProperties.HtmlBoard(true, "http://board.test/city/list.html",
            "table.threads tr.thread", "td.subject a", "tid=(\\d+)", "td.subject a", "td.date", "yyyy-MM-dd HH:mm:ss",
            "Asia/Shanghai", "td.state", "div.pager a.next",
            new BoardProperties.Detail("div.thread-body", "span.author", "div.reply div.reply-content", "div.reply div.reply-org"));

    @Test
    void aGbkListPageIsDecodedFromItsMetaTagAndReadWithTheConfiguredSelectors() throws IOException {
        Document page = HtmlBoardPages.parse(saved("list.html"), "text/html", "http://board.test/city/list.html");

        HtmlBoardPages.ListPage list = HtmlBoardPages.list(CITY_BOARD, page);

        assertThat(list.entries()).extracting(HtmlBoardPages.Entry::id).containsExactly(3791L, 3788L, 3756L);
        HtmlBoardPages.Entry first = list.entries().get(0);
        assertThat(first.subject()).isEqualTo("咨询A市东六线（劳动东路-机场高粟）段目前建设进展");
        assertThat(first.state()).isEqualTo("办理中");
        // 2018/12/20 17:28:09 in Asia/Shanghai
        assertThat(first.time()).isEqualTo(Instant.parse("2018-12-20T09:28:09Z"));
        assertThat(first.link()).isEqualTo("http://board.test/city/detail-3791.html?tid=3791");
        assertThat(list.next()).isEqualTo("http://board.test/city/list-2.html");
        assertThat(list.rejected()).isEmpty();
    }

    @Test
    void theLastUtf8PageHasNoNextPage() throws IOException {
        HtmlBoardPages.ListPage list = HtmlBoardPages.list(CITY_BOARD,
                HtmlBoardPages.parse(saved("list-2.html"), null, "http://board.test/city/list-2.html"));

        assertThat(list.entries()).extracting(HtmlBoardPages.Entry::id).containsExactly(3755L, 3747L);
        assertThat(list.entries().get(0).subject()).isEqualTo("希望A市社保卡、医保卡、居民健康卡尽快合一");
        assertThat(list.next()).isNull();
    }

    @Test
    void aCharsetInTheHttpHeaderWinsOverDetection() throws IOException {
        byte[] gbk = "<html><body><table class=threads><tr class=thread><td class=subject><a href='d?tid=9'>路灯</a></td></tr></table></body></html>"
                .getBytes("GBK");

        HtmlBoardPages.ListPage list = HtmlBoardPages.list(CITY_BOARD, HtmlBoardPages.parse(gbk, "text/html; charset=GBK", "http://b/"));

        assertThat(list.entries().get(0).subject()).isEqualTo("路灯");
    }

    @Test
    void theDetailPageGivesContentAuthorAndTheOfficialReplyAsPlainTextWithParagraphs() throws IOException {
        HtmlBoardPages.Detail detail = HtmlBoardPages.detail(CITY_BOARD.detail(),
                HtmlBoardPages.parse(saved("detail-3747.html"), null, "http://board.test/city/detail-3747.html"));

        assertThat(detail.author()).isEqualTo("UU008201");
        assertThat(detail.answerOrganization()).isEqualTo("A市人民政府办公厅");
        String content = PlainText.sanitise(detail.content());
        assertThat(content).startsWith("希望").doesNotContain("\t").doesNotContain("&nbsp;").doesNotContain("<br>");
        assertThat(PlainText.sanitise(detail.answer())).isNotBlank();
    }

    @Test
    void anOpenThreadHasNoReplyYet() throws IOException {
        HtmlBoardPages.Detail detail = HtmlBoardPages.detail(CITY_BOARD.detail(),
                HtmlBoardPages.parse(saved("detail-3791.html"), null, "http://board.test/city/detail-3791.html"));

        assertThat(detail.answer()).isNull();
        assertThat(detail.content()).isNotBlank();
    }

    @Test
    void anEntryWithoutAThreadIdIsRejectedWithItsHtml() {
        Document page = HtmlBoardPages.parse("<table class=threads><tr class=thread><td class=subject><a href='about.html'>关于</a></td></tr></table>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), null, "http://b/");

        HtmlBoardPages.ListPage list = HtmlBoardPages.list(CITY_BOARD, page);

        assertThat(list.entries()).isEmpty();
        List<String[]> rejected = list.rejected();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0)[1]).contains("关于");
    }

    @Test
    void aThreadIdTooLongForTheBoardIsRejectedNotThrown() {
        Document page = HtmlBoardPages.parse(("<table class=threads><tr class=thread><td class=subject>"
                + "<a href='detail.html?tid=999999999999999999999993791'>路灯</a></td></tr></table>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), null, "http://b/");

        HtmlBoardPages.ListPage list = HtmlBoardPages.list(CITY_BOARD, page);

        assertThat(list.entries()).isEmpty();
        assertThat(list.rejected()).hasSize(1);
        assertThat(list.rejected().get(0)[0]).contains("999999999999999999999993791");
    }

    static byte[] saved(String name) throws IOException {
        try (InputStream in = HtmlBoardPagesTest.class.getResourceAsStream("/fixtures/polling/city-board/" + name)) {
            return in.readAllBytes();
        }
    }
}
