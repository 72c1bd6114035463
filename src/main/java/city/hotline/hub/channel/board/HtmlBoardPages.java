package city.hotline.hub.channel.board;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.springframework.http.MediaType;

/**
 * Reads the list and detail pages of a board without an API, with the selectors of its
 * configuration ({@code hub.channels.board.html-boards.<name>}). The charset is taken from the
 * HTTP Content-Type, else from the page itself (BOM or meta tag: jsoup's detection), else UTF-8.
 */
public final class HtmlBoardPages {

    /** A thread as the list page shows it. */
    public record Entry(long id, String link, String subject, Instant time, String state) {
    }

    public record ListPage(List<Entry> entries, List<String[]> rejected, String next) {
    }

    public record Detail(String content, String author, String answer, String answerOrganization) {
    }

    private HtmlBoardPages() {
    }

    public static Document parse(byte[] bytes, String contentType, String url) {
        try {
            return Jsoup.parse(new ByteArrayInputStream(bytes), charsetOf(contentType), url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The charset named in an HTTP Content-Type, or null to let jsoup read it from the page. */
    static String charsetOf(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        try {
            Charset charset = MediaType.parseMediaType(contentType).getCharset();
            return charset == null ? null : charset.name();
        } catch (IllegalArgumentException e) { // InvalidMediaTypeException, unknown or illegal charset names
            // the page's own declaration decides
            return null;
        }
    }

    public static ListPage list(BoardProperties.HtmlBoard board, Document page) {
        Pattern idPattern = Pattern.compile(board.idPattern());
        List<Entry> entries = new ArrayList<>();
        List<String[]> rejected = new ArrayList<>();
        for (Element item : page.select(board.item())) {
            Element link = item.selectFirst(board.link());
            String href = link == null ? "" : link.absUrl("href");
            Matcher id = idPattern.matcher(href);
            if (!id.find()) {
                rejected.add(new String[] {"no thread id in link '" + href + "'", item.outerHtml()});
                continue;
            }
            long tid;
            try {
                tid = Long.parseLong(id.group(1));
            } catch (NumberFormatException e) {
                // the id pattern matched something that is no thread id (too long, or not a number)
                rejected.add(new String[] {"thread id '" + id.group(1) + "' in link '" + href + "' is not a number the board uses",
                        item.outerHtml()});
                continue;
            }
            Instant time;
            try {
                time = time(board, text(item, board.time()));
            } catch (IllegalArgumentException e) {
                rejected.add(new String[] {e.getMessage(), item.outerHtml()});
                continue;
            }
            entries.add(new Entry(tid, href, text(item, board.subject()), time, text(item, board.state())));
        }
        Element next = board.nextPage() == null ? null : page.selectFirst(board.nextPage());
        String nextUrl = next == null ? null : next.absUrl("href");
        return new ListPage(entries, rejected, nextUrl == null || nextUrl.isBlank() ? null : nextUrl);
    }

    public static Detail detail(BoardProperties.Detail selectors, Document page) {
        return new Detail(html(page, selectors.content()), text(page, selectors.author()), html(page, selectors.answer()),
                text(page, selectors.answerOrganization()));
    }

    static Instant time(BoardProperties.HtmlBoard board, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        ZoneId zone = ZoneId.of(board.zone() == null ? "Asia/Shanghai" : board.zone());
        try {
            return LocalDateTime.parse(text.strip(), DateTimeFormatter.ofPattern(board.timeFormat(), Locale.ROOT)).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + text + "' does not match " + board.timeFormat());
        }
    }

    private static String text(Element scope, String selector) {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        Element e = scope.selectFirst(selector);
        return e == null ? null : e.text().strip();
    }

    /** Inner HTML: the ticket's sanitiser (PlainText) keeps its paragraph breaks. */
    private static String html(Element scope, String selector) {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        Element e = scope.selectFirst(selector);
        return e == null ? null : e.html();
    }
}
