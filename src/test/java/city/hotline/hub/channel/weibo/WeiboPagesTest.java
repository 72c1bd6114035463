package city.hotline.hub.channel.weibo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class WeiboPagesTest {

    private static final Clock AT_1020 = Clock.fixed(Instant.parse("2026-11-28T10:20:30Z"), ZoneOffset.UTC);

    // channels.md §2.2, with the source HTML escaped (B-03: an id past 2^53)
    private static final String STATUSES = """
            {"statuses":[{"created_at":"Tue May 31 17:46:55 +0800 2011","id":4987654321098765432,"idstr":"4987654321098765432",
              "text":"求关注。\u200b//@zaku:转发","source":"<a href=\\"http://weibo.com\\" rel=\\"nofollow\\">新浪微博</a>",
              "mid":"5612814510546515491","reposts_count":8,
              "user":{"id":1404376560,"idstr":"1404376560","screen_name":"zaku","name":"zaku"}}],"total_number":1}""";

    @Test
    void longIdsComeFromIdstrExactlyAndTheTextIsNormalised() throws Exception {
        PolledPage page = WeiboPages.parse("statuses", 200, STATUSES, 50, null, AT_1020);

        assertThat(page.items()).hasSize(1);
        PolledPage.Item item = page.items().get(0);
        assertThat(item.id()).isEqualTo(4987654321098765432L);
        assertThat(item.itemId()).isEqualTo("4987654321098765432");
        JsonNode payload = Json.read(item.payload().load());
        assertThat(payload.get("id").asText()).isEqualTo("4987654321098765432");
        assertThat(payload.get("text").asText()).isEqualTo("求关注。");
        assertThat(payload.get("repostChain").asText()).isEqualTo("//@zaku:转发");
        assertThat(payload.get("createdAt").asText()).isEqualTo("2011-05-31T09:46:55Z");
        assertThat(payload.at("/user/id").asText()).isEqualTo("1404376560");
        assertThat(page.next()).as("a short page is not the end: Weibo filters deleted posts after counting").isEqualTo("4987654321098765431");
    }

    @Test
    void aShortPageIsNotTheEndButAnEmptyPageIs() throws Exception {
        PolledPage shortPage = WeiboPages.parse("statuses", 200, "{\"statuses\":[" + status("9") + "," + status("7") + "]}", 50, null, AT_1020);
        assertThat(shortPage.next()).isEqualTo("6");
        assertThat(WeiboPages.parse("statuses", 200, "{\"statuses\":[]}", 50, null, AT_1020).next()).isNull();
    }

    @Test
    void aPageWhoseItemsAreAllRejectedStillPointsBelowThemForTheNextPage() throws Exception {
        String body = "{\"statuses\":[{\"idstr\":\"40\",\"text\":\"bad time\",\"created_at\":\"yesterday\"},"
                + "{\"idstr\":\"38\",\"text\":\"\",\"created_at\":\"Tue May 31 17:46:55 +0800 2011\"}]}";

        PolledPage page = WeiboPages.parse("statuses", 200, body, 2, null, AT_1020);

        assertThat(page.items()).isEmpty();
        assertThat(page.rejected()).hasSize(2);
        assertThat(page.next()).isEqualTo("37");
    }

    @Test
    void aCommentKeepsTheIdOfThePostItBelongsTo() throws Exception {
        String body = """
                {"comments":[{"created_at":"Wed Jun 01 00:50:25 +0000 2011","id":12438492184,"idstr":"12438492184",
                  "text":"@市政府 路灯不亮","user":{"idstr":"1766897961","screen_name":"u"},
                  "status":{"id":11488058246,"idstr":"11488058246"}}]}""";

        PolledPage page = WeiboPages.parse("comments", 200, body, 50, null, AT_1020);

        JsonNode payload = Json.read(page.items().get(0).payload().load());
        assertThat(payload.get("kind").asText()).isEqualTo("comment");
        assertThat(payload.get("statusId").asText()).isEqualTo("11488058246");
        assertThat(payload.get("createdAt").asText()).isEqualTo("2011-06-01T00:50:25Z");
    }

    @Test
    void aFullPageAsksForTheNextOlderPageBelowItsLowestId() throws Exception {
        String body = "{\"statuses\":[" + status("300") + "," + status("299") + "]}";

        PolledPage page = WeiboPages.parse("statuses", 200, body, 2, null, AT_1020);

        assertThat(page.next()).isEqualTo("298");
    }

    @Test
    void rateLimitPausesUntilTheNextFullHourByDefault() {
        String body = "{\"error\":\"User requests out of rate limit!\",\"error_code\":10023,\"request\":\"/2/statuses/mentions.json\"}";

        assertThatThrownBy(() -> WeiboPages.parse("statuses", 403, body, 50, null, AT_1020))
                .isInstanceOfSatisfying(PollFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(PollFailure.Kind.PAUSE);
                    assertThat(f.until()).isEqualTo(Instant.parse("2026-11-28T11:00:00Z"));
                });
        assertThatThrownBy(() -> WeiboPages.parse("statuses", 403, body, 50, Duration.ofMinutes(5), AT_1020))
                .isInstanceOfSatisfying(PollFailure.class, f -> assertThat(f.until()).isEqualTo(Instant.parse("2026-11-28T10:25:30Z")));
    }

    @Test
    void tokenErrorsAskForReauthorisationWhetherTheCodeIsAStringOrANumber() {
        for (String code : new String[] {"21327", "\"21327\"", "21301", "21314", "21317"}) {
            String body = "{\"error\":\"expired_token\",\"error_code\":" + code + ",\"request\":\"/2/statuses/mentions.json\"}";
            assertThatThrownBy(() -> WeiboPages.parse("statuses", 400, body, 50, null, AT_1020))
                    .isInstanceOfSatisfying(PollFailure.class, f -> assertThat(f.kind()).isEqualTo(PollFailure.Kind.REAUTHORISE));
        }
    }

    @Test
    void theWikisUnescapedSourceIsMalformedJson() {
        String body = "{\"statuses\":[{\"created_at\":\"Tue May 31 17:46:55 +0800 2011\",\"idstr\":\"1\",\"text\":\"x\","
                + "\"source\":\"<a href=\"http://weibo.com\" rel=\"nofollow\">新浪微博</a>\"}]}";

        assertThatThrownBy(() -> WeiboPages.parse("statuses", 200, body, 50, null, AT_1020)).isInstanceOf(WeiboPages.Malformed.class);
    }

    @Test
    void anItemWithoutIdOrWithABadTimeIsRejectedAndTheOthersKept() throws Exception {
        String body = "{\"statuses\":[" + status("5") + ",{\"text\":\"no id\",\"created_at\":\"Tue May 31 17:46:55 +0800 2011\"},"
                + "{\"idstr\":\"4\",\"text\":\"bad time\",\"created_at\":\"yesterday\"}]}";

        PolledPage page = WeiboPages.parse("statuses", 200, body, 50, null, AT_1020);

        assertThat(page.items()).extracting(PolledPage.Item::itemId).containsExactly("5");
        assertThat(page.rejected()).hasSize(2);
        assertThat(page.rejected().get(1).raw()).contains("bad time");
    }

    @Test
    void aGatewayErrorPageIsABackOffNotAQuarantine() {
        assertThatThrownBy(() -> WeiboPages.parse("statuses", 502, "<html><body>502 Bad Gateway</body></html>", 50, null, AT_1020))
                .isInstanceOfSatisfying(PollFailure.class, f -> assertThat(f.getMessage()).contains("502"));
    }

    @Test
    void anEmptyBodyIsABackOff() {
        assertThatThrownBy(() -> WeiboPages.parse("statuses", 200, "", 50, null, AT_1020))
                .isInstanceOfSatisfying(PollFailure.class, f -> assertThat(f.kind()).isEqualTo(PollFailure.Kind.BACKOFF));
    }

    static String status(String id) {
        return "{\"created_at\":\"Tue May 31 17:46:55 +0800 2011\",\"idstr\":\"" + id + "\",\"text\":\"t" + id + "\"}";
    }
}
