package city.hotline.hub.channel.board;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.HubProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.channels.board.*}; defaults live in application.yml.
 *
 * @param forums          forum ids ({@code fid}) polled through the board's JSON API
 * @param backfill        how far back a source is read on its first run
 * @param replyFormat     {@code form} or {@code json}: how a reply is posted to {@code replyUrl}
 * @param recheckInterval how often threads still open on the board are read again
 * @param openStates      board states meaning "not answered yet"
 * @param backoff         growing delay after failed polls of a source
 * @param htmlBoards      boards without an API, scraped with the configured jsoup selectors
 */
@ConfigurationProperties("hub.channels.board")
public record BoardProperties(boolean enabled, String apiBaseUrl, List<String> forums, Duration pollInterval, Duration backfill,
                              String replyUrl, String replyFormat, Duration recheckInterval, int pageSize, int maxPagesPerRun,
                              List<String> openStates, HubProperties.Retry backoff, Map<String, HtmlBoard> htmlBoards) {

    public BoardProperties {
        forums = forums == null ? List.of() : forums;
        openStates = openStates == null ? List.of() : openStates;
        htmlBoards = htmlBoards == null ? Map.of() : htmlBoards;
        maxPagesPerRun = maxPagesPerRun <= 0 ? 50 : maxPagesPerRun;
    }

    /**
     * A scraped board: CSS selectors (jsoup) for the list page and the detail page. The page's
     * charset comes from the HTTP header or the page's meta tag (GBK and UTF-8 both occur).
     *
     * @param listUrl    first list page (newest threads first)
     * @param item       one thread on the list page
     * @param link       the thread's link to its detail page (inside {@code item})
     * @param idPattern  regular expression on the link whose group 1 is the numeric thread id
     * @param subject    title (inside {@code item})
     * @param time       posting time text (inside {@code item}), read with {@code timeFormat} in {@code zone}
     * @param state      board state text (inside {@code item})
     * @param nextPage   link to the next (older) list page
     */
    public record HtmlBoard(boolean enabled, String listUrl, String item, String link, String idPattern, String subject,
                            String time, String timeFormat, String zone, String state, String nextPage, Detail detail) {
    }

    /** Selectors on the detail page. */
    public record Detail(String content, String author, String answer, String answerOrganization) {
    }
}
